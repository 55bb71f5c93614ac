package io.patchloop.tickets;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.patchloop.api.ApiApplication;
import io.patchloop.api.ApiTestProperties;
import io.patchloop.common.OsFamily;
import io.patchloop.hosts.HostSpec;
import io.patchloop.hosts.HostStore;
import io.patchloop.notifications.DeliveryStore;
import io.patchloop.notifications.Message;
import io.patchloop.notifications.NotificationEvent;
import io.patchloop.testing.http.ApiClient;
import io.patchloop.testing.http.ApiClient.Response;
import io.patchloop.testing.http.MisbehavingServer;
import io.patchloop.testing.http.MisbehavingServer.Behaviour;
import io.patchloop.testing.http.RecordingHttpServer;
import io.patchloop.workflows.TaskQueues;
import io.patchloop.workflows.TicketSearchAttributes;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.client.WorkflowClient;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.WorkerFactory;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
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
 * The API's side of outbound calls: a channel test against a server that never answers, trickles or
 * floods comes back within the deadline (2 s here) as a 502 and the API keeps serving; a
 * destination the policy refuses is a 400 naming the field when a channel or a ticket's callback is
 * saved; viewers read short reasons, only admins what the remote end said.
 */
@SpringBootTest(classes = ApiApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = "patchloop.outbound.timeout=2s")
class OutboundCallsApiTest {

  static final Duration WITHIN = Duration.ofMillis(2000 + 1500);
  static final String SECRET = "a-long-shared-secret-42";

  static final MisbehavingServer silent = MisbehavingServer.started(Behaviour.SILENT);
  static final MisbehavingServer trickle = MisbehavingServer.started(Behaviour.TRICKLE);
  static final MisbehavingServer flood = MisbehavingServer.started(Behaviour.FLOOD);
  static final RecordingHttpServer refused = RecordingHttpServer.started();

  static int refusedPort() {
    return URI.create(refused.url("/")).getPort();
  }

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    ApiTestProperties.register(registry, "outboundapi", ApiTestProperties.EVERY_ROLE);
    registry.add("patchloop.outbound.deny[0]", () -> "127.0.0.1:" + refusedPort());
  }

  @AfterAll
  static void stop() throws IOException {
    for (var s : List.of(silent, trickle, flood)) {
      s.close();
    }
    refused.close();
  }

  @Autowired TestWorkflowEnvironment temporal;
  @Autowired WorkflowClient client;
  @Autowired JdbcClient jdbc;
  @Autowired HostStore hosts;
  @Autowired TicketCallbacks callbacks;
  @Autowired DeliveryStore deliveries;
  @LocalServerPort int port;

  ApiClient admin;
  ApiClient viewer;
  ApiClient operator;
  WorkerFactory workers;

  @BeforeEach
  void setUp() {
    for (var key : TicketSearchAttributes.ALL) {
      temporal.registerSearchAttribute(key.getName(), IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD);
    }
    workers = WorkerFactory.newInstance(client);
    workers.newWorker(TaskQueues.TICKETS).registerWorkflowImplementationTypes(TicketApiTest.StandInTicket.class,
        TicketApiTest.StandInBatch.class);
    workers.start();
    admin = new ApiClient("http://127.0.0.1:" + port, ApiTestProperties.ADMIN);
    viewer = admin.as(ApiTestProperties.VIEWER);
    operator = admin.as(ApiTestProperties.OPERATOR);
    jdbc.sql("DELETE FROM notification_channels").update();
    jdbc.sql("DELETE FROM tickets").update();
    jdbc.sql("DELETE FROM hosts").update();
  }

  @AfterEach
  void stopWorkers() {
    workers.shutdownNow();
  }

  long webhook(String name, String url) {
    Response created = admin.post("/api/v1/notification-channels", ApiClient.json(Map.of("name", name, "type",
        "WEBHOOK", "webhook", Map.of("url", url, "secret", SECRET))));
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    return created.json().get("id").asLong();
  }

  record Timed(Response response, Duration took) {}

  Timed test(long channelId) {
    long start = System.nanoTime();
    Response r = admin.post("/api/v1/notification-channels/" + channelId + "/test", "");
    return new Timed(r, Duration.ofNanos(System.nanoTime() - start));
  }

  @Test
  void aChannelTestAgainstServersThatHangTrickleOrFloodAnswers502WithinTheDeadlineAndTheApiKeepsServing() {
    long hangs = webhook("hangs", silent.url("/hook"));
    long trickles = webhook("trickles", trickle.url("/hook"));
    long floods = webhook("floods", flood.url("/hook"));
    // side by side, as admins clicking "test" at once would
    List<CompletableFuture<Timed>> running = new ArrayList<>();
    for (long id : List.of(hangs, trickles, floods)) {
      running.add(CompletableFuture.supplyAsync(() -> test(id)));
    }
    Map<Long, Timed> answers = Map.of(hangs, running.get(0).join(), trickles, running.get(1).join(), floods,
        running.get(2).join());
    answers.forEach((id, t) -> {
      assertThat(t.response().status()).as(t.response().toString()).isEqualTo(502);
      assertThat(t.took()).as("channel %s answered within the deadline and a margin", id).isLessThan(WITHIN);
    });
    assertThat(answers.get(hangs).response().json().get("error").asText()).isEqualTo("timed out after 2 s");
    assertThat(answers.get(trickles).response().json().get("error").asText()).isEqualTo("timed out after 2 s");
    JsonNode flooded = answers.get(floods).response().json();
    assertThat(flooded.get("error").asText()).isEqualTo("answered 500");
    assertThat(flooded.get("detail").asText()).startsWith("flood").hasSizeLessThanOrEqualTo(200)
        .doesNotContain("\u0007", "\u001b");
    // the API still serves, and the next test of a hanging channel is as quick as the first
    assertThat(viewer.get("/api/v1/notification-channels").status()).isEqualTo(200);
    assertThat(test(hangs).took()).isLessThan(WITHIN);
  }

  @Test
  void aChannelOrCallbackWhoseDestinationIsRefusedIsA400NamingTheField() {
    String refusedUrl = "http://localhost:" + refusedPort() + "/hook";
    Response channel = admin.post("/api/v1/notification-channels", ApiClient.json(Map.of("name", "refused",
        "type", "WEBHOOK", "webhook", Map.of("url", refusedUrl, "secret", SECRET))));
    assertThat(channel.status()).as(channel.toString()).isEqualTo(400);
    assertThat(channel.json().get("errors").get(0).get("field").asText()).isEqualTo("webhook.url");
    assertThat(channel.json().get("errors").get(0).get("reason").asText())
        .isEqualTo("refused by outbound policy: 127.0.0.1:" + refusedPort() + " is in 127.0.0.1:" + refusedPort());
    Response metadata = admin.post("/api/v1/notification-channels", ApiClient.json(Map.of("name", "metadata",
        "type", "WEBHOOK", "webhook", Map.of("url", "http://169.254.169.254/latest", "secret", SECRET))));
    assertThat(metadata.status()).isEqualTo(400);

    long host = host("web-1");
    Response ticket = operator.post("/api/v1/tickets", ApiClient.json(Map.of("operation", "SCAN", "hostIds",
        List.of(host), "callback", Map.of("url", refusedUrl, "secret", SECRET))));
    assertThat(ticket.status()).as(ticket.toString()).isEqualTo(400);
    assertThat(ticket.json().get("errors").get(0).get("field").asText()).isEqualTo("callback.url");
    assertThat(ticket.json().get("errors").get(0).get("reason").asText()).startsWith("refused by outbound policy");
    assertThat(refused.requests).isEmpty();

    Response fine = operator.post("/api/v1/tickets", ApiClient.json(Map.of("operation", "SCAN", "hostIds",
        List.of(host), "callback", Map.of("url", silent.url("/cb"), "secret", SECRET))));
    assertThat(fine.status()).as("loopback in general is allowed: " + fine).isEqualTo(201);
  }

  @Test
  void viewersReadTheShortReasonAndOnlyAdminsWhatTheRemoteEndSaid() {
    long host = host("web-2");
    Response created = operator.post("/api/v1/tickets", ApiClient.json(Map.of("operation", "SCAN", "hostIds",
        List.of(host), "callback", Map.of("url", silent.url("/cb"), "secret", SECRET))));
    String id = created.json().get("id").asText();
    callbacks.attempted(id, "answered 500", "itsm is down: db01.internal");
    JsonNode seenByViewer = viewer.get("/api/v1/tickets/" + id).json().get("callback");
    assertThat(seenByViewer.get("lastError").asText()).isEqualTo("answered 500");
    assertThat(seenByViewer.get("lastErrorDetail").isNull()).isTrue();
    assertThat(seenByViewer.toString()).doesNotContain("db01");
    assertThat(operator.get("/api/v1/tickets/" + id).json().toString()).doesNotContain("db01");
    assertThat(admin.get("/api/v1/tickets/" + id).json().get("callback").get("lastErrorDetail").asText())
        .isEqualTo("itsm is down: db01.internal");

    long channel = webhook("itsm-hook", silent.url("/hook"));
    long delivery = deliveries.prepare(channel, id, new Message(NotificationEvent.TICKET_FINISHED,
        "Ticket " + id + " COMPLETED", "done", "done", "{}"));
    deliveries.attempted(delivery, "not an HTTP answer", "Invalid status line: SSH-2.0-OpenSSH_9.6");
    JsonNode viewerList = viewer.get("/api/v1/notification-deliveries").json();
    assertThat(viewerList.get(0).get("lastError").asText()).isEqualTo("not an HTTP answer");
    assertThat(viewerList.toString()).doesNotContain("SSH");
    assertThat(admin.get("/api/v1/notification-deliveries").json().get(0).get("lastErrorDetail").asText())
        .contains("SSH-2.0");
  }

  long host(String name) {
    return hosts.create(new HostSpec(name, "10.0.0.1", null, null, "/keys/lab", null, OsFamily.HCE, null,
        Map.of("zone", "az1"))).id();
  }
}
