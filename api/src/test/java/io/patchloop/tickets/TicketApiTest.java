package io.patchloop.tickets;

import io.patchloop.api.ApiTestProperties;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.patchloop.api.ApiApplication;
import io.patchloop.common.OsFamily;
import io.patchloop.hosts.HostSpec;
import io.patchloop.hosts.HostStore;
import io.patchloop.testing.http.ApiClient.Response;
import io.patchloop.testing.http.ApiClient;
import io.patchloop.workflows.TaskQueues;
import io.patchloop.workflows.TicketSearchAttributes;
import io.patchloop.workflows.scan.MetadataRefresh;
import io.patchloop.workflows.ticket.BatchRequest;
import io.patchloop.workflows.ticket.BatchResult;
import io.patchloop.workflows.ticket.BatchWorkflow;
import io.patchloop.workflows.ticket.HostOutcome;
import io.patchloop.workflows.ticket.TicketCarry;
import io.patchloop.workflows.ticket.TicketProgress;
import io.patchloop.workflows.ticket.TicketRequest;
import io.patchloop.workflows.ticket.TicketResult;
import io.patchloop.workflows.ticket.TicketStatus;
import io.patchloop.workflows.ticket.TicketWorkflow;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.client.WorkflowClient;
import io.temporal.common.SearchAttributes;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.WorkerFactory;
import io.temporal.workflow.Async;
import io.temporal.workflow.ChildWorkflowOptions;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Tickets over HTTP as far as Temporal: the workflow the API starts (id, search attributes,
 * request), the live view its queries make, and its signals. Stand-in workflows answer for the
 * real ones, whose own tests live with them.
 */
@SpringBootTest(classes = ApiApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class TicketApiTest {

  static final String OPERATOR = ApiTestProperties.OPERATOR;
  /** A second operator token, as a second ticketing system would have. */
  static final String OTHER_OPERATOR = "other-operator-token-0123456789";
  static final String SECRET = "a-long-shared-secret-42";

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    ApiTestProperties.register(registry, "ticketapi", List.of(new ApiTestProperties.Token("ops-operator", OPERATOR, "OPERATOR"),
        new ApiTestProperties.Token("itsm-operator", OTHER_OPERATOR, "OPERATOR")));
  }

  /** What each stand-in ticket workflow was started with, by ticket id. */
  static final Map<String, TicketRequest> STARTED = new ConcurrentHashMap<>();

  public static class StandInTicket implements TicketWorkflow {
    private boolean paused;
    private boolean cancelled;
    private int hostCount;

    @Override
    public TicketResult run(TicketRequest request, TicketCarry carried) {
      STARTED.put(request.ticketId(), request);
      hostCount = request.hosts().size();
      BatchWorkflow batch = Workflow.newChildWorkflowStub(BatchWorkflow.class, ChildWorkflowOptions.newBuilder()
          .setWorkflowId(TicketWorkflow.batchWorkflowId(request.ticketId(), 1)).build());
      Async.function(batch::run, new BatchRequest(request.ticketId(), 1, request.operation(), null,
          request.hosts().stream().map(h -> h.hostId()).toList(), 1, 1, null, 0, null));
      Workflow.getWorkflowExecution(batch).get();
      Workflow.await(() -> cancelled);
      return new TicketResult(TicketStatus.CANCELLED, hostCount, 0, 0, hostCount);
    }

    @Override
    public void pause() {
      paused = true;
    }

    @Override
    public void resume() {
      paused = false;
    }

    @Override
    public void cancel() {
      cancelled = true;
    }

    @Override
    public TicketProgress progress() {
      return new TicketProgress(paused ? TicketStatus.PAUSED : TicketStatus.RUNNING, paused, 1, 1, hostCount, 0, 0, 0,
          hostCount);
    }
  }

  public static class StandInBatch implements BatchWorkflow {
    private List<Long> hostIds = List.of();

    @Override
    public BatchResult run(BatchRequest request) {
      hostIds = request.hostIds();
      Workflow.await(() -> false);
      return BatchResult.empty();
    }

    @Override
    public void pause() {}

    @Override
    public void resume() {}

    @Override
    public void cancel() {}

    @Override
    public List<HostOutcome> hosts() {
      return hostIds.stream().map(id -> new HostOutcome(id, 1, HostOutcome.State.RUNNING, null, null, null, 0, 0, "scanning"))
          .toList();
    }
  }

  @Autowired TestWorkflowEnvironment temporal;
  @Autowired WorkflowClient client;
  @Autowired JdbcClient jdbc;
  @Autowired HostStore hosts;
  @LocalServerPort int port;

  ApiClient api;
  WorkerFactory workers;

  @BeforeEach
  void standIns() {
    for (var key : TicketSearchAttributes.ALL) {
      temporal.registerSearchAttribute(key.getName(), IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD);
    }
    workers = WorkerFactory.newInstance(client);
    workers.newWorker(TaskQueues.TICKETS).registerWorkflowImplementationTypes(StandInTicket.class, StandInBatch.class);
    workers.start();
    api = new ApiClient("http://127.0.0.1:" + port, OPERATOR);
    jdbc.sql("DELETE FROM tickets").update();
    jdbc.sql("DELETE FROM ticket_idempotency_keys").update();
    jdbc.sql("DELETE FROM hosts").update();
  }

  @AfterEach
  void stop() {
    workers.shutdownNow();
  }

  long host(String name, String zone) {
    return hosts.create(new HostSpec(name, "10.0.0.1", null, null, "/keys/lab", null, OsFamily.HCE, null,
        Map.of("zone", zone))).id();
  }

  static String body(long... hostIds) {
    return ApiClient.json(Map.of("operation", "SCAN", "hostIds", java.util.Arrays.stream(hostIds).boxed().toList(),
        "concurrency", 3, "externalRef", "CHG0031337",
        "callback", Map.of("url", "https://itsm.example.com/cb", "secret", SECRET)));
  }

  @Test
  void theApisTemporalClientGzipsLargePayloadsAsTheWorkersAndTheAgentDo() {
    // the inventory a host step returns crosses Temporal's history; every process must write and read it the same way
    var large = client.getOptions().getDataConverter().toPayload("x".repeat(100_000)).orElseThrow();
    assertThat(large.getMetadataMap().get("encoding").toStringUtf8()).isEqualTo("binary/gzip");
    assertThat(large.getSerializedSize()).isLessThan(10_000);
  }

  @Test
  void aTicketStartsItsWorkflowWithItsIdSearchAttributesAndRequest() {
    long web1 = host("web-1", "az1");
    long web2 = host("web-2", "az2");
    Response created = api.post("/api/v1/tickets", body(web2, web1));
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    String id = created.json().get("id").asText();
    assertThat(id).matches("scan-\\d{8}-\\d{6}-[0-9a-f]{6}");
    assertThat(created.json().get("status").asText()).isEqualTo("CREATED");
    assertThat(created.json().get("externalRef").asText()).isEqualTo("CHG0031337");
    assertThat(created.body()).doesNotContain(SECRET);
    JsonNode parameters = created.json().get("parameters");
    assertThat(parameters.isObject()).as(created.toString()).isTrue();
    assertThat(parameters.get("hostIds")).extracting(JsonNode::asLong).containsExactly(web2, web1);
    assertThat(parameters.get("concurrency").asInt()).isEqualTo(3);
    assertThat(parameters.get("callback").get("secret").asText()).isEqualTo("********");
    assertThat(api.get("/api/v1/tickets/" + id).json().get("ticket").get("parameters")).isEqualTo(parameters);
    assertThat(api.get("/api/v1/tickets").json().get("items").get(0).get("parameters")).isEqualTo(parameters);

    SearchAttributes attributes = client.newUntypedWorkflowStub(id).describe().getTypedSearchAttributes();
    assertThat(attributes.get(TicketSearchAttributes.TICKET_ID)).isEqualTo(id);
    assertThat(attributes.get(TicketSearchAttributes.OPERATION)).isEqualTo("SCAN");
    assertThat(attributes.get(TicketSearchAttributes.BASELINE)).isEqualTo("os-default");
    assertThat(attributes.get(TicketSearchAttributes.EXTERNAL_REF)).isEqualTo("CHG0031337");

    TicketRequest request = waitForStart(id);
    assertThat(request.hosts()).extracting(h -> h.hostId()).containsExactly(web2, web1);
    assertThat(request.concurrency()).isEqualTo(3);
    assertThat(request.startAtMillis()).isZero();
    assertThat(request.agents()).isNull();
  }

  /**
   * metadataRefresh: shown in the ticket's parameters as given and carried to the workflow; left out,
   * the workflow gets AUTO; a value that is none of the three is a 400 naming the field and the values.
   */
  @Test
  void theMetadataRefreshIsEchoedAndReachesTheWorkflowAndDefaultsToAuto() {
    long web1 = host("web-1", "az1");
    Response always = api.post("/api/v1/tickets", ApiClient.json(Map.of("operation", "SCAN", "hostIds", List.of(web1),
        "metadataRefresh", "ALWAYS")));
    assertThat(always.status()).as(always.toString()).isEqualTo(201);
    String id = always.json().get("id").asText();
    assertThat(always.json().get("parameters").get("metadataRefresh").asText()).isEqualTo("ALWAYS");
    assertThat(api.get("/api/v1/tickets/" + id).json().get("ticket").get("parameters").get("metadataRefresh").asText())
        .isEqualTo("ALWAYS");
    assertThat(waitForStart(id).metadataRefresh()).isEqualTo(MetadataRefresh.ALWAYS);

    Response unset = api.post("/api/v1/tickets", body(web1));
    assertThat(unset.status()).as(unset.toString()).isEqualTo(201);
    assertThat(unset.json().get("parameters").has("metadataRefresh")).as("the parameters as given").isFalse();
    assertThat(waitForStart(unset.json().get("id").asText()).metadataRefresh()).isEqualTo(MetadataRefresh.AUTO);

    Response bad = api.post("/api/v1/tickets", ApiClient.json(Map.of("operation", "SCAN", "hostIds", List.of(web1),
        "metadataRefresh", "SOMETIMES")));
    assertThat(bad.status()).as(bad.toString()).isEqualTo(400);
    assertThat(bad.json().get("errors")).hasSize(1);
    assertThat(bad.json().get("errors").get(0).get("field").asText()).isEqualTo("metadataRefresh");
    assertThat(bad.json().get("errors").get(0).get("reason").asText()).isEqualTo("must be one of [AUTO, ALWAYS, NEVER]");
    assertThat(jdbc.sql("SELECT COUNT(*) FROM tickets").query(Integer.class).single()).isEqualTo(2);
  }

  @Test
  void theLiveViewAndTheSignalsReachTheRunningWorkflow() {
    long web1 = host("web-1", "az1");
    String id = api.post("/api/v1/tickets", body(web1)).json().get("id").asText();
    waitForStart(id);

    JsonNode live = api.get("/api/v1/tickets/" + id).json().get("live");
    assertThat(live.get("progress").get("status").asText()).isEqualTo("RUNNING");
    assertThat(live.get("currentBatchHosts").get(0).get("hostId").asLong()).isEqualTo(web1);
    assertThat(live.get("currentBatchHosts").get(0).get("detail").asText()).isEqualTo("scanning");

    Response paused = api.post("/api/v1/tickets/" + id + "/pause", "");
    assertThat(paused.status()).as(paused.toString()).isEqualTo(202);
    assertThat(paused.json().get("signal").asText()).isEqualTo("pause");
    assertThat(api.get("/api/v1/tickets/" + id).json().get("live").get("progress").get("paused").asBoolean()).isTrue();
    assertThat(api.post("/api/v1/tickets/" + id + "/resume", "").status()).isEqualTo(202);
    assertThat(api.get("/api/v1/tickets/" + id).json().get("live").get("progress").get("paused").asBoolean()).isFalse();
    assertThat(api.post("/api/v1/tickets/" + id + "/cancel", "").status()).isEqualTo(202);
    assertThat(api.post("/api/v1/tickets/" + id + "/reboot", "").status()).isEqualTo(404);

    jdbc.sql("UPDATE tickets SET status = 'CANCELLED' WHERE id = ?").param(id).update();
    assertThat(api.get("/api/v1/tickets/" + id).json().get("live").isNull()).isTrue();
    Response late = api.post("/api/v1/tickets/" + id + "/pause", "");
    assertThat(late.status()).as(late.toString()).isEqualTo(409);
  }

  @Test
  void anIdempotencyKeyMakesOneTicketWithAnIdOfItsOwn() {
    long web1 = host("web-1", "az1");
    Response first = api.post("/api/v1/tickets", body(web1), "Idempotency-Key", "abc");
    assertThat(first.status()).as(first.toString()).isEqualTo(201);
    // the first 24 hex digits of sha256("ops-operator\nabc"): the token's name, then the key
    assertThat(first.json().get("id").asText()).isEqualTo("scan-key-ad50c144e2f673e442a8c4f8");
    Response again = api.post("/api/v1/tickets", body(web1), "Idempotency-Key", "abc");
    assertThat(again.status()).isEqualTo(200);
    assertThat(again.json().get("id").asText()).isEqualTo("scan-key-ad50c144e2f673e442a8c4f8");
    assertThat(api.post("/api/v1/tickets", body(web1, host("web-2", "az2")), "Idempotency-Key", "abc").status())
        .isEqualTo(409);
  }

  /**
   * A retry is answered from what was stored: the host the ticket ran on is gone since, so the
   * request itself would now be refused, but the caller still gets its ticket (review M2).
   */
  @Test
  void aRepeatedKeyIsAnsweredFromTheStoredTicketEvenWhenTheRequestWouldNoLongerPass() {
    long web1 = host("web-1", "az1");
    Response first = api.post("/api/v1/tickets", body(web1), "Idempotency-Key", "retry-me");
    assertThat(first.status()).as(first.toString()).isEqualTo(201);
    hosts.delete(web1);
    assertThat(api.post("/api/v1/tickets", body(web1)).status()).as("the same request anew").isEqualTo(400);

    Response again = api.post("/api/v1/tickets", body(web1), "Idempotency-Key", "retry-me");
    assertThat(again.status()).as(again.toString()).isEqualTo(200);
    assertThat(again.json().get("id").asText()).isEqualTo(first.json().get("id").asText());
  }

  /** Keys are the token's own (review M2): two ticketing systems that happen to use one key get a ticket each. */
  @Test
  void theSameKeyAndBodyFromTwoTokensMakeTwoTicketsAndEachTokensRetryIsReplayed() {
    long web1 = host("web-1", "az1");
    ApiClient other = api.as(OTHER_OPERATOR);
    Response mine = api.post("/api/v1/tickets", body(web1), "Idempotency-Key", "CHG0031337");
    Response theirs = other.post("/api/v1/tickets", body(web1), "Idempotency-Key", "CHG0031337");
    assertThat(mine.status()).as(mine.toString()).isEqualTo(201);
    assertThat(theirs.status()).as(theirs.toString()).isEqualTo(201);
    String myId = mine.json().get("id").asText();
    String theirId = theirs.json().get("id").asText();
    assertThat(theirId).isNotEqualTo(myId);
    waitForStart(myId);
    waitForStart(theirId);

    Response myRetry = api.post("/api/v1/tickets", body(web1), "Idempotency-Key", "CHG0031337");
    assertThat(myRetry.status()).as(myRetry.toString()).isEqualTo(200);
    assertThat(myRetry.json().get("id").asText()).isEqualTo(myId);
    Response theirRetry = other.post("/api/v1/tickets", body(web1), "Idempotency-Key", "CHG0031337");
    assertThat(theirRetry.status()).as(theirRetry.toString()).isEqualTo(200);
    assertThat(theirRetry.json().get("id").asText()).isEqualTo(theirId);
  }

  /** Another token's use of a key neither blocks a caller nor shows it that token's ticket (review M2). */
  @Test
  void aKeyAnotherTokenUsedWithAnotherBodyIsNoConflictAndDoesNotShowItsTicket() {
    long web1 = host("web-1", "az1");
    long web2 = host("web-2", "az2");
    String myId = api.post("/api/v1/tickets", body(web1), "Idempotency-Key", "CHG0040000").json().get("id").asText();

    Response theirs = api.as(OTHER_OPERATOR).post("/api/v1/tickets", body(web2), "Idempotency-Key", "CHG0040000");
    assertThat(theirs.status()).as(theirs.toString()).isEqualTo(201);
    assertThat(theirs.body()).doesNotContain(myId);

    Response mineAgainOtherBody = api.post("/api/v1/tickets", body(web2), "Idempotency-Key", "CHG0040000");
    assertThat(mineAgainOtherBody.status()).as("the caller's own key with another body").isEqualTo(409);
    assertThat(mineAgainOtherBody.body()).contains(myId).doesNotContain(theirs.json().get("id").asText());
  }

  /** A body is compared in its canonical form: a map's entries in another order are the same body (review M2). */
  @Test
  void theSameSelectorTagsInAnotherOrderAreAReplayNotAConflict() {
    hosts.create(new HostSpec("billing-1", "10.0.0.1", null, null, "/keys/lab", null, OsFamily.HCE, null,
        Map.of("app", "billing", "zone", "az1")));
    String appFirst = "{\"operation\":\"SCAN\",\"selector\":{\"tags\":{\"app\":\"billing\",\"zone\":\"az1\"}}}";
    String zoneFirst = "{\"selector\":{\"tags\":{\"zone\":\"az1\",\"app\":\"billing\"}},\"operation\":\"SCAN\"}";
    Response first = api.post("/api/v1/tickets", appFirst, "Idempotency-Key", "tags-in-any-order");
    assertThat(first.status()).as(first.toString()).isEqualTo(201);

    Response again = api.post("/api/v1/tickets", zoneFirst, "Idempotency-Key", "tags-in-any-order");
    assertThat(again.status()).as(again.toString()).isEqualTo(200);
    assertThat(again.json().get("id").asText()).isEqualTo(first.json().get("id").asText());
  }

  /**
   * A key stored before selector.missingAdvisory existed holds the hash of the body's canonical text
   * then (written out here as it was): the same body sent again is still its replay, not a conflict.
   */
  @Test
  void aKeyStoredBeforeTheMissingAdvisoryFilterStillMatchesItsBody() throws Exception {
    host("billing-1", "az1");
    String body = "{\"operation\":\"SCAN\",\"selector\":{\"tags\":{\"zone\":\"az1\"},\"osFamily\":\"HCE\"},"
        + "\"concurrency\":2}";
    Response first = api.post("/api/v1/tickets", body, "Idempotency-Key", "from-before-issue-19");
    assertThat(first.status()).as(first.toString()).isEqualTo(201);
    String canonicalBefore = "{\"operation\":\"SCAN\",\"selector\":{\"tags\":{\"zone\":\"az1\"},"
        + "\"osFamily\":\"HCE\"},\"concurrency\":2}";
    String hashBefore = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
        .digest(canonicalBefore.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    assertThat(jdbc.sql("UPDATE ticket_idempotency_keys SET body_sha256 = ? WHERE idempotency_key = ?")
        .params(hashBefore, "from-before-issue-19").update()).isEqualTo(1);

    Response again = api.post("/api/v1/tickets", body, "Idempotency-Key", "from-before-issue-19");
    assertThat(again.status()).as(again.toString()).isEqualTo(200);
    assertThat(again.json().get("id").asText()).isEqualTo(first.json().get("id").asText());
    Response other = api.post("/api/v1/tickets", body.replace("\"HCE\"}",
        "\"HCE\",\"missingAdvisory\":\"HCE2-SA-2026-0001\"}"),
        "Idempotency-Key", "from-before-issue-19");
    assertThat(other.status()).as("naming the advisory is another body: " + other).isEqualTo(409);
  }

  static TicketRequest waitForStart(String id) {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!STARTED.containsKey(id)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the workflow of ticket " + id + " did not start");
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
    return STARTED.get(id);
  }
}
