package io.patchloop.api.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.patchloop.api.ApiApplication;
import io.patchloop.api.ApiTestProperties;
import io.patchloop.testing.http.ApiClient;
import io.patchloop.testing.http.ApiClient.Response;
import io.patchloop.workflows.TaskQueues;
import io.patchloop.workflows.TicketSearchAttributes;
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
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.WorkerFactory;
import io.temporal.workflow.Workflow;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
 * The audit log over real HTTP against a real MariaDB and the Temporal test server: who changed
 * what, refusals and failures included, written in the change's own transaction where there is one;
 * the admin-only listing with its filters; retention.
 */
@SpringBootTest(classes = ApiApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {"patchloop.audit.retention-days=30", "patchloop.audit.cleanup-batch=2"})
class AuditLogTest {

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    ApiTestProperties.register(registry, "auditlog", ApiTestProperties.EVERY_ROLE);
  }

  /** A ticket workflow that runs until cancelled and takes the pause signal; the real one has its own tests. */
  public static class StandInTicket implements TicketWorkflow {
    private boolean paused;
    private boolean cancelled;

    @Override
    public TicketResult run(TicketRequest request, TicketCarry carried) {
      Workflow.await(() -> cancelled);
      return new TicketResult(TicketStatus.CANCELLED, request.hosts().size(), 0, 0, request.hosts().size());
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
      return new TicketProgress(paused ? TicketStatus.PAUSED : TicketStatus.RUNNING, paused, 1, 1, 1, 0, 0, 0, 1);
    }
  }

  @LocalServerPort int port;
  @Autowired JdbcClient jdbc;
  @Autowired TestWorkflowEnvironment temporal;
  @Autowired WorkflowClient client;
  @Autowired AuditRetention retention;

  ApiClient admin;
  WorkerFactory workers;
  final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void clean() {
    admin = new ApiClient("http://127.0.0.1:" + port, ApiTestProperties.ADMIN);
    jdbc.sql("DROP TRIGGER IF EXISTS hosts_refuse_boom").update();
    jdbc.sql("DELETE FROM tickets").update();
    jdbc.sql("DELETE FROM hosts").update();
    jdbc.sql("DELETE FROM credentials").update();
    jdbc.sql("DELETE FROM notification_subscriptions").update();
    jdbc.sql("DELETE FROM notification_channels").update();
    jdbc.sql("DELETE FROM inspection_plans").update();
    jdbc.sql("DELETE FROM audit_events").update();
  }

  @AfterEach
  void stopWorkers() {
    if (workers != null) {
      workers.shutdownNow();
    }
    jdbc.sql("DROP TRIGGER IF EXISTS hosts_refuse_boom").update();
  }

  record Row(String actor, String role, String channel, String method, String path, String resource, String targetId,
      String action, Integer status, String outcome, String requestId, String clientAddress, boolean inTransaction) {}

  List<Row> rows(String requestId) {
    return jdbc.sql("SELECT * FROM audit_events WHERE request_id = ? ORDER BY id").param(requestId)
        .query((rs, n) -> {
          int status = rs.getInt("status");
          return new Row(rs.getString("actor"), rs.getString("role"), rs.getString("channel"), rs.getString("method"),
              rs.getString("path"), rs.getString("resource"), rs.getString("target_id"), rs.getString("action"),
              rs.wasNull() ? null : status, rs.getString("outcome"), rs.getString("request_id"),
              rs.getString("client_address"), rs.getBoolean("in_transaction"));
        }).list();
  }

  Row only(String requestId) {
    List<Row> found = rows(requestId);
    assertThat(found).as("audit rows of request " + requestId).hasSize(1);
    return found.get(0);
  }

  /** A request with a bearer token (or none) and a body; answers the response, whose X-Request-Id the test reads. */
  HttpResponse<String> call(String method, String path, String token, String requestId, String json) {
    var b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(30))
        .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json))
        .header("Content-Type", "application/json");
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    if (requestId != null) {
      b.header("X-Request-Id", requestId);
    }
    try {
      return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  static String host(String name) {
    return ApiClient.json(Map.of("name", name, "address", "127.0.0.1", "port", 2201, "keyPath", "/keys/lab",
        "osFamily", "HCE"));
  }

  @Test
  void anAdminsCreateUpdateAndDeleteAreRecordedInTheirTransactions() {
    var created = call("POST", "/api/v1/hosts", ApiTestProperties.ADMIN, "create-web-1", host("web-1"));
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    assertThat(created.headers().firstValue("X-Request-Id")).hasValue("create-web-1");
    String id = String.valueOf(admin.get("/api/v1/hosts").json().get("items").get(0).get("id").asLong());
    assertThat(only("create-web-1")).isEqualTo(new Row("ops-admin", "ADMIN", "API", "POST", "/api/v1/hosts", "hosts",
        id, "create", 201, "SUCCESS", "create-web-1", "127.0.0.1", true));

    var updated = call("PUT", "/api/v1/hosts/" + id, ApiTestProperties.ADMIN, "update-web-1", host("web-1b"));
    assertThat(updated.statusCode()).as(updated.body()).isEqualTo(200);
    assertThat(only("update-web-1")).isEqualTo(new Row("ops-admin", "ADMIN", "API", "PUT", "/api/v1/hosts/" + id,
        "hosts", id, "update", 200, "SUCCESS", "update-web-1", "127.0.0.1", true));

    // no X-Request-Id: one is made up and answered
    var deleted = call("DELETE", "/api/v1/hosts/" + id, ApiTestProperties.ADMIN, null, null);
    assertThat(deleted.statusCode()).isEqualTo(204);
    String generated = deleted.headers().firstValue("X-Request-Id").orElseThrow();
    assertThat(generated).matches("[0-9a-f-]{36}");
    assertThat(only(generated)).isEqualTo(new Row("ops-admin", "ADMIN", "API", "DELETE", "/api/v1/hosts/" + id,
        "hosts", id, "delete", 204, "SUCCESS", generated, "127.0.0.1", true));

    // a request id that is not sane (too long, spaces) is replaced, not stored
    var odd = call("POST", "/api/v1/hosts", ApiTestProperties.ADMIN, "x".repeat(65), host("web-2"));
    String replaced = odd.headers().firstValue("X-Request-Id").orElseThrow();
    assertThat(replaced).matches("[0-9a-f-]{36}");
    assertThat(only(replaced).outcome()).isEqualTo("SUCCESS");
    // a read is not audited
    assertThat(call("GET", "/api/v1/hosts", ApiTestProperties.ADMIN, "read-1", null).statusCode()).isEqualTo(200);
    assertThat(rows("read-1")).isEmpty();
  }

  /**
   * Which changes get their row in their own transaction (README, "Audit log"): every change the
   * database makes, but not a Temporal signal (plan trigger, ticket pause) nor a channel test, which
   * only sends a message.
   */
  @Test
  void everyDatabaseChangeIsRecordedInItsTransactionSignalsAndTestsAfterTheirResponse(
      @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    String a = ApiTestProperties.ADMIN;
    String hostId = idOf(call("POST", "/api/v1/hosts", a, "m-host", host("m-1")), "id");
    java.nio.file.Path key = dir.resolve("hostkey");
    assertThat(new ProcessBuilder("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", key.toString()).start().waitFor())
        .isZero();
    String publicLine = java.nio.file.Files.readString(dir.resolve("hostkey.pub")).strip();
    expect(call("PUT", "/api/v1/hosts/" + hostId + "/host-key", a, "m-key-put",
        ApiClient.json(Map.of("publicKey", publicLine))), 200);
    expect(call("DELETE", "/api/v1/hosts/" + hostId + "/host-key", a, "m-key-delete", null), 204);
    String pem = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----\n";
    String credential = idOf(call("POST", "/api/v1/credentials", a, "m-cred",
        ApiClient.json(Map.of("name", "fleet", "privateKey", pem))), "id");
    expect(call("DELETE", "/api/v1/credentials/" + credential, a, "m-cred-delete", null), 204);
    String channel = idOf(call("POST", "/api/v1/notification-channels", a, "m-channel", ApiClient.json(Map.of(
        "name", "hook", "type", "WEBHOOK", "webhook", Map.of("url", "https://hooks.example.com/p", "secret",
            "a-long-webhook-secret-0123")))), "id");
    expect(call("PUT", "/api/v1/notification-channels/" + channel, a, "m-channel-put", ApiClient.json(Map.of(
        "name", "hook-2", "type", "WEBHOOK", "webhook", Map.of("url", "https://hooks.example.com/q", "secret",
            "a-new-webhook-secret-4567")))), 200); // a new URL takes its secret again
    call("POST", "/api/v1/notification-channels/" + channel + "/test", a, "m-channel-test", "");
    String subscription = idOf(call("POST", "/api/v1/notification-subscriptions", a, "m-sub",
        ApiClient.json(Map.of("channelId", Long.parseLong(channel), "event", "TICKET_FINISHED"))), "id");
    expect(call("DELETE", "/api/v1/notification-subscriptions/" + subscription, a, "m-sub-delete", null), 204);
    expect(call("DELETE", "/api/v1/notification-channels/" + channel, a, "m-channel-delete", null), 204);
    long baseline = admin.get("/api/v1/baselines").json().get(0).get("id").asLong();
    String o = ApiTestProperties.OPERATOR;
    var planBody = Map.of("name", "nightly", "cron", "0 2 * * *", "timeZone", "UTC", "selector", Map.of("all", true),
        "baselineId", baseline, "concurrency", 2, "overlapPolicy", "SKIP");
    var planCreated = call("POST", "/api/v1/inspection-plans", o, "m-plan", ApiClient.json(planBody));
    assertThat(planCreated.statusCode()).as(planCreated.body()).isEqualTo(201);
    String plan = String.valueOf(new com.fasterxml.jackson.databind.ObjectMapper().readTree(planCreated.body())
        .get("plan").get("id").asLong());
    expect(call("PUT", "/api/v1/inspection-plans/" + plan, o, "m-plan-put", ApiClient.json(planBody)), 200);
    expect(call("POST", "/api/v1/inspection-plans/" + plan + "/pause", o, "m-plan-pause", ""), 200);
    expect(call("POST", "/api/v1/inspection-plans/" + plan + "/resume", o, "m-plan-resume", ""), 200);
    expect(call("POST", "/api/v1/inspection-plans/" + plan + "/trigger", o, "m-plan-trigger", ""), 202);
    assertThat(admin.as(ApiTestProperties.VIEWER).get("/api/v1/inspection-plans/" + plan + "/runs?limit=5").status())
        .as("reading is no audit event").isEqualTo(200);
    expect(call("DELETE", "/api/v1/inspection-plans/" + plan, o, "m-plan-delete", null), 204);

    Map<String, Boolean> inTransaction = new java.util.TreeMap<>();
    jdbc.sql("SELECT request_id, in_transaction FROM audit_events WHERE request_id LIKE 'm-%'")
        .query((rs, n) -> inTransaction.put(rs.getString(1), rs.getBoolean(2))).list();
    assertThat(inTransaction).containsExactlyInAnyOrderEntriesOf(Map.ofEntries(
        Map.entry("m-host", true), Map.entry("m-key-put", true), Map.entry("m-key-delete", true),
        Map.entry("m-cred", true), Map.entry("m-cred-delete", true), Map.entry("m-channel", true),
        Map.entry("m-channel-put", true), Map.entry("m-channel-test", false), Map.entry("m-sub", true),
        Map.entry("m-sub-delete", true), Map.entry("m-channel-delete", true), Map.entry("m-plan", true),
        Map.entry("m-plan-put", true), Map.entry("m-plan-pause", true), Map.entry("m-plan-resume", true),
        Map.entry("m-plan-trigger", false), Map.entry("m-plan-delete", true)));
    assertThat(only("m-key-put").resource()).isEqualTo("host-key");
    assertThat(only("m-key-put").targetId()).isEqualTo(hostId);
    assertThat(only("m-plan").targetId()).isEqualTo(plan);
    assertThat(only("m-plan-trigger").action()).isEqualTo("trigger");
    assertThat(only("m-channel-test").targetId()).isEqualTo(channel);
    assertThat(only("m-channel-test").resource()).isEqualTo("notification-channels");
    assertThat(only("m-sub").targetId()).isEqualTo(subscription);
  }

  static void expect(HttpResponse<String> response, int status) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
  }

  static String idOf(HttpResponse<String> created, String field) {
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    try {
      return new com.fasterxml.jackson.databind.ObjectMapper().readTree(created.body()).get(field).asText();
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void anOperatorsTicketPauseIsRecordedWithoutATransaction() {
    for (var key : TicketSearchAttributes.ALL) {
      temporal.registerSearchAttribute(key.getName(), IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD);
    }
    workers = WorkerFactory.newInstance(client);
    workers.newWorker(TaskQueues.TICKETS).registerWorkflowImplementationTypes(StandInTicket.class);
    workers.start();
    long hostId = admin.post("/api/v1/hosts", host("web-1")).json().get("id").asLong();

    var started = call("POST", "/api/v1/tickets", ApiTestProperties.OPERATOR, "ticket-1",
        ApiClient.json(Map.of("operation", "SCAN", "hostIds", List.of(hostId))));
    assertThat(started.statusCode()).as(started.body()).isEqualTo(201);
    String ticket = admin.get("/api/v1/tickets").json().get("items").get(0).get("id").asText();
    Row create = only("ticket-1");
    assertThat(create.actor()).isEqualTo("ops-operator");
    assertThat(create.targetId()).isEqualTo(ticket);
    assertThat(create.action()).isEqualTo("create");
    assertThat(create.inTransaction()).as("the ticket's row is written with it").isTrue();

    var paused = call("POST", "/api/v1/tickets/" + ticket + "/pause", ApiTestProperties.OPERATOR, "pause-1", "");
    assertThat(paused.statusCode()).as(paused.body()).isEqualTo(202);
    assertThat(only("pause-1")).isEqualTo(new Row("ops-operator", "OPERATOR", "API", "POST",
        "/api/v1/tickets/" + ticket + "/pause", "tickets", ticket, "pause", 202, "SUCCESS", "pause-1", "127.0.0.1",
        false));
  }

  @Test
  void refusalsAreRecordedAsDeniedAndBadInputAsFailed() {
    assertThat(call("POST", "/api/v1/hosts", ApiTestProperties.VIEWER, "viewer-1", host("v-1")).statusCode())
        .isEqualTo(403);
    assertThat(only("viewer-1")).isEqualTo(new Row("ops-viewer", "VIEWER", "API", "POST", "/api/v1/hosts", "hosts",
        null, "create", 403, "DENIED", "viewer-1", "127.0.0.1", false));

    assertThat(call("DELETE", "/api/v1/hosts/5", null, "anonymous-1", null).statusCode()).isEqualTo(401);
    assertThat(only("anonymous-1")).isEqualTo(new Row(null, null, "API", "DELETE", "/api/v1/hosts/5", "hosts", "5",
        "delete", 401, "DENIED", "anonymous-1", "127.0.0.1", false));
    assertThat(call("DELETE", "/api/v1/hosts/5", "not-a-token-at-all-0123456789", "bad-token-1", null).statusCode())
        .isEqualTo(401);
    assertThat(only("bad-token-1").actor()).isNull();

    assertThat(call("POST", "/api/v1/hosts", ApiTestProperties.ADMIN, "bad-input-1", "{}").statusCode()).isEqualTo(400);
    assertThat(only("bad-input-1")).isEqualTo(new Row("ops-admin", "ADMIN", "API", "POST", "/api/v1/hosts", "hosts",
        null, "create", 400, "FAILED", "bad-input-1", "127.0.0.1", false));

    admin.post("/api/v1/hosts", host("dup"));
    assertThat(call("POST", "/api/v1/hosts", ApiTestProperties.ADMIN, "conflict-1", host("dup")).statusCode())
        .isEqualTo(409);
    assertThat(only("conflict-1").outcome()).isEqualTo("FAILED");
    assertThat(only("conflict-1").status()).isEqualTo(409);

    // a body over the API's limit is refused unread, and recorded with who sent it
    String oversized = host("x".repeat(2 << 20));
    assertThat(call("POST", "/api/v1/hosts", ApiTestProperties.ADMIN, "too-large-1", oversized).statusCode())
        .isEqualTo(413);
    assertThat(only("too-large-1")).isEqualTo(new Row("ops-admin", "ADMIN", "API", "POST", "/api/v1/hosts", "hosts",
        null, "create", 413, "FAILED", "too-large-1", "127.0.0.1", false));

    // a signal to a ticket that does not exist: a 404, no transaction
    assertThat(call("POST", "/api/v1/tickets/scan-none/cancel", ApiTestProperties.OPERATOR, "missing-1", "")
        .statusCode()).isEqualTo(404);
    assertThat(only("missing-1").outcome()).isEqualTo("FAILED");
    // the preview changes nothing and is no audit event
    call("POST", "/api/v1/tickets/preview", ApiTestProperties.OPERATOR, "preview-1", "{}");
    assertThat(rows("preview-1")).isEmpty();
  }

  /** The first host is inserted, the second fails in the database: the import rolls back, and so does its SUCCESS row. */
  @Test
  void aChangeThatFailsInItsTransactionLeavesNoSuccessRow() {
    jdbc.sql("CREATE TRIGGER hosts_refuse_boom BEFORE INSERT ON hosts FOR EACH ROW BEGIN"
        + " IF NEW.name = 'boom' THEN SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'refused by test trigger'; END IF; END")
        .update();
    var failed = call("POST", "/api/v1/hosts/import", ApiTestProperties.ADMIN, "import-boom",
        "[" + host("fine-1") + "," + host("boom") + "]");
    assertThat(failed.statusCode()).as(failed.body()).isEqualTo(500);
    assertThat(admin.get("/api/v1/hosts").json().get("total").asInt()).as("fine-1 rolled back").isZero();
    assertThat(only("import-boom")).isEqualTo(new Row("ops-admin", "ADMIN", "API", "POST", "/api/v1/hosts/import",
        "hosts", null, "import", 500, "FAILED", "import-boom", "127.0.0.1", false));
    assertThat(jdbc.sql("SELECT COUNT(*) FROM audit_events WHERE outcome = 'SUCCESS'").query(Integer.class).single())
        .isZero();
  }

  /** Without its audit row a change is not made: the transaction rolls back and the caller gets a 503. */
  @Test
  void aChangeWhoseRowCannotBeWrittenIsNotMade() {
    jdbc.sql("RENAME TABLE audit_events TO audit_events_parked").update();
    try {
      var refused = call("POST", "/api/v1/hosts", ApiTestProperties.ADMIN, "no-audit-1", host("unaudited"));
      assertThat(refused.statusCode()).as(refused.body()).isEqualTo(503);
      assertThat(refused.body()).contains("audit log").doesNotContain("Exception");
    } finally {
      jdbc.sql("RENAME TABLE audit_events_parked TO audit_events").update();
    }
    assertThat(admin.get("/api/v1/hosts").json().get("total").asInt()).isZero();
    assertThat(admin.post("/api/v1/hosts", host("audited")).status()).isEqualTo(201);
  }

  void event(Instant at, String actor, String resource, String outcome) {
    jdbc.sql("INSERT INTO audit_events (occurred_at, actor, role, channel, method, path, resource, action, status,"
            + " outcome, request_id, client_address, in_transaction) VALUES (?, ?, 'ADMIN', 'API', 'POST', '/x', ?,"
            + " 'create', 201, ?, 'r', '10.0.0.9', TRUE)")
        .params(Timestamp.from(at), actor, resource, outcome).update();
  }

  @Test
  void adminsListTheLogNewestFirstWithFiltersAndPaging() {
    Instant t0 = Instant.parse("2026-11-01T00:00:00Z");
    for (int i = 0; i < 5; i++) {
      event(t0.plus(i, ChronoUnit.HOURS), "alice", "hosts", "SUCCESS");
    }
    event(t0.plus(10, ChronoUnit.HOURS), "bob", "tickets", "DENIED");
    event(t0.plus(11, ChronoUnit.HOURS), "alice", "tickets", "FAILED");

    JsonNode all = admin.get("/api/v1/audit-events").json();
    assertThat(all.get("total").asInt()).isEqualTo(7);
    List<String> times = new ArrayList<>();
    all.get("items").forEach(e -> times.add(e.get("at").asText()));
    assertThat(times.get(0)).isEqualTo("2026-11-01T11:00:00Z");
    assertThat(times).isSortedAccordingTo(java.util.Comparator.reverseOrder());

    assertThat(admin.get("/api/v1/audit-events?actor=bob").json().get("items").get(0).get("outcome").asText())
        .isEqualTo("DENIED");
    assertThat(admin.get("/api/v1/audit-events?actor=alice&resource=hosts").json().get("total").asInt()).isEqualTo(5);
    assertThat(admin.get("/api/v1/audit-events?outcome=FAILED").json().get("total").asInt()).isEqualTo(1);
    JsonNode window = admin.get("/api/v1/audit-events?from=2026-11-01T01:00:00Z&to=2026-11-01T04:00:00Z").json();
    assertThat(window.get("total").asInt()).as("from inclusive, to exclusive").isEqualTo(3);
    JsonNode page1 = admin.get("/api/v1/audit-events?resource=hosts&size=2&page=1").json();
    assertThat(page1.get("total").asInt()).isEqualTo(5);
    assertThat(page1.get("items")).hasSize(2);
    assertThat(page1.get("items").get(0).get("at").asText()).isEqualTo("2026-11-01T02:00:00Z");
    assertThat(page1.get("items").get(0).get("clientAddress").asText()).isEqualTo("10.0.0.9");

    assertThat(admin.as(ApiTestProperties.VIEWER).get("/api/v1/audit-events").status()).isEqualTo(403);
    assertThat(admin.as(ApiTestProperties.OPERATOR).get("/api/v1/audit-events").status()).isEqualTo(403);
    assertThat(admin.as(null).get("/api/v1/audit-events").status()).isEqualTo(401);

    assertFields(admin.get("/api/v1/audit-events?from=yesterday"), "from");
    assertFields(admin.get("/api/v1/audit-events?from=2026-11-02T00:00:00Z&to=2026-11-01T00:00:00Z"), "to");
    assertFields(admin.get("/api/v1/audit-events?outcome=MAYBE"), "outcome");
    assertFields(admin.get("/api/v1/audit-events?size=0"), "size");
    assertFields(admin.get("/api/v1/audit-events?resource=Hosts%20OR%201"), "resource");
  }

  static void assertFields(Response r, String... fields) {
    assertThat(r.status()).as(r.toString()).isEqualTo(400);
    assertThat(r.contentType()).startsWith("application/problem+json");
    List<String> got = new ArrayList<>();
    r.json().get("errors").forEach(e -> got.add(e.get("field").asText()));
    assertThat(got).as(r.toString()).containsExactly(fields);
  }

  /** retention-days=30 and batches of 2 in this class: five old rows go in three batches, the newer ones stay. */
  @Test
  void retentionDeletesRowsOlderThanTheSettingAndKeepsTheRest() {
    Instant now = Instant.now();
    for (int i = 0; i < 5; i++) {
      event(now.minus(31, ChronoUnit.DAYS).minus(i, ChronoUnit.HOURS), "old", "hosts", "SUCCESS");
    }
    event(now.minus(29, ChronoUnit.DAYS), "recent", "hosts", "SUCCESS");
    event(now, "today", "hosts", "SUCCESS");
    assertThat(retention.purge()).isEqualTo(5);
    assertThat(jdbc.sql("SELECT actor FROM audit_events ORDER BY occurred_at").query(String.class).list())
        .containsExactly("recent", "today");
  }
}
