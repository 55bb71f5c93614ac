package io.patchloop.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import io.patchloop.notifications.WebhookSender;
import io.patchloop.testing.http.ApiClient;
import io.patchloop.testing.http.RecordingHttpServer;
import io.patchloop.testing.lab.LabFleet;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Notifications, inspection plans and the ticketing-system integration end to end on the
 * standalone platform: a real SMTP server (GreenMail) and a real HTTP server on loopback stand
 * where the mail server, the WeCom robot, the SMS gateway, a webhook receiver and a ticketing
 * system's callback endpoint would be; two lab hosts are scanned for real.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class IntegrationsEndToEndTest {

  @RegisterExtension
  static LabFleet fleet = LabFleet.builder().hosts(2).profile("demo").build();

  static final String WEBHOOK_SECRET = "s3cret-signing-key-0123456789";
  static final String CALLBACK_SECRET = "itsm-callback-secret-42";
  static final ObjectMapper JSON = new ObjectMapper();

  TestPlatform platform;
  ApiClient api;
  GreenMail smtp;
  RecordingHttpServer http;
  long baselineId;
  Map<String, Long> ids;
  long email;
  long broken;

  @BeforeAll
  void start() throws Exception {
    smtp = new GreenMail(new ServerSetup(TestPlatform.freePort(), "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
    smtp.setUser("patchloop@example.com", "patchloop", "mail-password");
    smtp.start();
    http = new RecordingHttpServer();
    http.answer("/broken", 500, "{\"error\":\"down for maintenance\"}");
    http.answer("/wecom", 200, "{\"errcode\":0,\"errmsg\":\"ok\"}");
    // the ticket reconciler looks every second here (a minute by default)
    platform = TestPlatform.start("--patchloop.notifications.api-base-url=https://patchloop.example.com",
        "--patchloop.tickets.reconcile-interval=1s", "--patchloop.tickets.reconcile-grace=5s");
    api = platform.api;
    ids = platform.importFleet(fleet, h -> Map.of("state", h.intendedState()));
    baselineId = platform.baseline(Map.of("name", "notify-e2e", "os", "HCE",
        "rules", List.of(Map.of("approveAfterDays", 0, "complianceLevel", "HIGH"))));
  }

  @AfterAll
  void stop() {
    if (platform != null) {
      platform.close();
    }
    if (smtp != null) {
      smtp.stop();
    }
    if (http != null) {
      http.close();
    }
  }

  long channel(Map<String, Object> body) {
    var created = api.post("/api/v1/notification-channels", ApiClient.json(body));
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    return created.json().get("id").asLong();
  }

  void subscribe(long channel, String event) {
    var created = api.post("/api/v1/notification-subscriptions", ApiClient.json(Map.of("channelId", channel,
        "event", event)));
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
  }

  @Test
  @Order(1)
  void channelsKeepTheirSecretsAndTestMessagesArrive() throws Exception {
    email = channel(Map.of("name", "ops-mail", "type", "EMAIL", "email", Map.of("host", "127.0.0.1",
        "port", smtp.getSmtp().getPort(), "security", "NONE", "username", "patchloop", "password", "mail-password",
        "from", "patchloop@example.com", "recipients", List.of("ops@example.com", "oncall@example.com"))));
    long wecom = channel(Map.of("name", "ops-wecom", "type", "WECOM", "wecom",
        Map.of("webhookUrl", http.url("/wecom?key=robot-key-123"))));
    long sms = channel(Map.of("name", "oncall-sms", "type", "SMS", "sms", Map.of("url", http.url("/sms"),
        "headers", Map.of("Authorization", "Bearer gateway-token"),
        "bodyTemplate", "{\"to\": {{recipients}}, \"text\": {{message}}}", "recipients", List.of("+8613800000000"))));
    long webhook = channel(Map.of("name", "itsm", "type", "WEBHOOK", "webhook",
        Map.of("url", http.url("/webhook"), "secret", WEBHOOK_SECRET)));
    broken = channel(Map.of("name", "broken", "type", "WEBHOOK", "webhook",
        Map.of("url", http.url("/broken"), "secret", WEBHOOK_SECRET)));
    subscribe(email, "TICKET_FINISHED");
    subscribe(wecom, "HOSTS_NON_COMPLIANT");
    subscribe(sms, "TICKET_FINISHED");
    subscribe(webhook, "TICKET_FINISHED");
    subscribe(broken, "TICKET_FINISHED");

    String all = api.get("/api/v1/notification-channels").body();
    assertThat(all).doesNotContain("mail-password", "robot-key-123", "gateway-token", WEBHOOK_SECRET)
        .contains("********");
    // an update that leaves the password out keeps it: the test mail still logs in
    var updated = api.put("/api/v1/notification-channels/" + email, ApiClient.json(Map.of("name", "ops-mail",
        "type", "EMAIL", "email", Map.of("host", "127.0.0.1", "port", smtp.getSmtp().getPort(), "security", "NONE",
            "username", "patchloop", "from", "patchloop@example.com", "recipients", List.of("ops@example.com")))));
    assertThat(updated.status()).as(updated.toString()).isEqualTo(200);

    var sent = api.post("/api/v1/notification-channels/" + email + "/test", "");
    assertThat(sent.status()).as(sent.toString()).isEqualTo(200);
    assertThat(smtp.waitForIncomingEmail(10_000, 1)).isTrue();
    assertThat(smtp.getReceivedMessages()[0].getSubject()).contains("Test message for channel ops-mail");
    var refused = api.post("/api/v1/notification-channels/" + broken + "/test", "");
    assertThat(refused.status()).isEqualTo(502);
    assertThat(refused.json().get("error").asText()).isEqualTo("answered 500");
    assertThat(refused.json().get("detail").asText()).contains("down for maintenance");
    smtp.purgeEmailFromAllMailboxes();

    var bad = api.post("/api/v1/notification-channels", ApiClient.json(Map.of("name", "bad", "type", "WEBHOOK",
        "webhook", Map.of("url", "ftp://example.com", "secret", "short"))));
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.body()).contains("webhook.url").contains("webhook.secret");
  }

  @Test
  @Order(2)
  void aFinishedTicketReachesEveryChannelAndAFailingOneNeverHoldsItUp() throws Exception {
    String id = platform.ticket(Map.of("operation", "SCAN", "selector", Map.of("all", true),
        "baselineId", baselineId));
    JsonNode t = platform.waitForEnd(id, Duration.ofMinutes(2));
    assertThat(t.get("ticket").get("status").asText()).isEqualTo("COMPLETED");
    String missingSome = fleet.hostIn("demo", "missing-some").name();

    assertThat(smtp.waitForIncomingEmail(30_000, 1)).isTrue();
    MimeMessage mail = smtp.getReceivedMessages()[0];
    assertThat(mail.getSubject()).isEqualTo("[Patchloop] Ticket " + id + " COMPLETED: 2 succeeded, 0 failed, 0 not run");
    String text = GreenMailUtil.getBody(mail);
    assertThat(text).contains("Worst hosts:").contains(missingSome)
        .contains("https://patchloop.example.com/api/v1/tickets/" + id);

    var wecom = TestPlatform.eventually(() -> http.to("/wecom"), l -> !l.isEmpty(), Duration.ofSeconds(30)).get(0);
    assertThat(wecom.query()).isEqualTo("key=robot-key-123");
    JsonNode md = JSON.readTree(wecom.body());
    assertThat(md.get("msgtype").asText()).isEqualTo("markdown");
    assertThat(md.get("markdown").get("content").asText()).contains("newly NON_COMPLIANT").contains(missingSome)
        .doesNotContain(fleet.hostIn("demo", "patched").name());

    var sms = TestPlatform.eventually(() -> http.to("/sms"), l -> !l.isEmpty(), Duration.ofSeconds(30)).get(0);
    assertThat(sms.header("Authorization")).isEqualTo("Bearer gateway-token");
    JsonNode smsBody = JSON.readTree(sms.body());
    assertThat(smsBody.get("to").get(0).asText()).isEqualTo("+8613800000000");
    assertThat(smsBody.get("text").asText()).contains(id);

    var hook = TestPlatform.eventually(() -> http.to("/webhook"), l -> !l.isEmpty(), Duration.ofSeconds(30)).get(0);
    assertThat(hook.header(WebhookSender.SIGNATURE_HEADER)).isEqualTo(WebhookSender.signature(WEBHOOK_SECRET, hook.body()));
    assertThat(hook.header(WebhookSender.SIGNATURE_HEADER))
        .as("a signature that checks nothing would pass anything").isNotEqualTo(
            WebhookSender.signature(WEBHOOK_SECRET, hook.body() + " "));
    JsonNode event = JSON.readTree(hook.body());
    assertThat(event.get("event").asText()).isEqualTo("TICKET_FINISHED");
    assertThat(event.get("ticket").get("id").asText()).isEqualTo(id);
    assertThat(event.get("ticket").get("succeeded").asInt()).isEqualTo(2);

    // the broken endpoint: tried four times, then recorded FAILED; the ticket had long finished
    JsonNode failed = TestPlatform.eventually(() -> api.get("/api/v1/notification-deliveries?status=FAILED&subject=" + id).json(),
        l -> l.size() == 1, Duration.ofSeconds(60));
    assertThat(failed.get(0).get("channelId").asLong()).isEqualTo(broken);
    assertThat(failed.get(0).get("attempts").asInt()).isEqualTo(4);
    assertThat(failed.get(0).get("lastError").asText()).contains("answered 500");
    assertThat(http.to("/broken")).hasSize(1 + 4); // the test message, then four tries
    assertThat(api.get("/api/v1/tickets/" + id).json().get("ticket").get("status").asText()).isEqualTo("COMPLETED");
    assertThat(api.get("/api/v1/notification-deliveries?status=SENT&subject=" + id).json()).hasSize(3);
  }

  @Test
  @Order(3)
  void aTicketWithStartAtWaitsForItsTime() {
    Instant startAt = Instant.now().plusSeconds(4);
    String id = platform.ticket(Map.of("operation", "SCAN", "selector", Map.of("all", true), "baselineId", baselineId,
        "startAt", startAt.toString()));
    JsonNode scheduled = api.get("/api/v1/tickets/" + id).json();
    assertThat(scheduled.get("ticket").get("status").asText()).isEqualTo("SCHEDULED");
    assertThat(scheduled.get("ticket").get("startAt").asText()).isNotEmpty();
    JsonNode t = platform.waitForEnd(id, Duration.ofMinutes(2));
    assertThat(Instant.parse(t.get("ticket").get("startedAt").asText())).isAfterOrEqualTo(startAt.minusMillis(50));
    var past = api.post("/api/v1/tickets", ApiClient.json(Map.of("operation", "SCAN", "selector", Map.of("all", true),
        "baselineId", baselineId, "startAt", "2020-01-01T00:00:00Z")));
    assertThat(past.status()).isEqualTo(400);
    assertThat(past.body()).contains("startAt").contains("must be in the future");
  }

  @Test
  @Order(4)
  void aPlanRunsOnTriggerListsItsRunsAndCanBePausedAndDeleted() {
    var created = api.post("/api/v1/inspection-plans", ApiClient.json(Map.of("name", "nightly", "cron", "0 2 * * *",
        "timeZone", "Asia/Shanghai", "selector", Map.of("all", true), "baselineId", baselineId,
        "concurrency", 2, "overlapPolicy", "SKIP")));
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    long plan = created.json().get("plan").get("id").asLong();
    JsonNode state = TestPlatform.eventually(() -> api.get("/api/v1/inspection-plans/" + plan).json(),
        p -> !p.get("state").isNull() && p.get("state").get("nextFireAtMillis").asLong() > 0, Duration.ofSeconds(20));
    Instant next = Instant.ofEpochMilli(state.get("state").get("nextFireAtMillis").asLong());
    assertThat(next.atZone(java.time.ZoneId.of("Asia/Shanghai")).getHour()).isEqualTo(2);

    assertThat(api.post("/api/v1/inspection-plans/" + plan + "/trigger", "").status()).isEqualTo(202);
    JsonNode runs = TestPlatform.eventually(() -> api.get("/api/v1/inspection-plans/" + plan + "/runs").json(),
        r -> r.size() == 1, Duration.ofSeconds(30));
    assertThat(runs.get(0).get("outcome").asText()).isEqualTo("STARTED");
    String ticket = runs.get(0).get("ticketId").asText();
    JsonNode t = platform.waitForEnd(ticket, Duration.ofMinutes(2));
    assertThat(t.get("ticket").get("planId").asLong()).isEqualTo(plan);
    assertThat(t.get("ticket").get("succeeded").asInt()).isEqualTo(2);

    var paused = api.post("/api/v1/inspection-plans/" + plan + "/pause", "");
    assertThat(paused.json().get("plan").get("paused").asBoolean()).isTrue();
    TestPlatform.eventually(() -> api.get("/api/v1/inspection-plans/" + plan).json(),
        p -> !p.get("state").isNull() && p.get("state").get("paused").asBoolean(), Duration.ofSeconds(20));

    var bad = api.post("/api/v1/inspection-plans", ApiClient.json(Map.of("name", "bad", "cron", "0 25 * * *",
        "timeZone", "Mars/Olympus", "selector", Map.of("all", true), "overlapPolicy", "SOMETIMES")));
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.body()).contains("cron").contains("hour 25 is outside 0-23").contains("timeZone")
        .contains("overlapPolicy");
    var never = api.post("/api/v1/inspection-plans", ApiClient.json(Map.of("name", "never", "cron", "0 0 31 2 *",
        "selector", Map.of("all", true))));
    assertThat(never.status()).isEqualTo(400);
    assertThat(never.body()).contains("never fires");

    assertThat(api.delete("/api/v1/inspection-plans/" + plan).status()).isEqualTo(204);
    assertThat(api.get("/api/v1/inspection-plans/" + plan).status()).isEqualTo(404);
  }

  @Test
  @Order(5)
  void tenConcurrentRetriesWithOneKeyMakeOneTicketAndAnotherBodyIsRefused() throws Exception {
    http.answer("/itsm/broken", 500, "{\"error\":\"itsm is down\"}");
    Map<String, Object> body = Map.of("operation", "SCAN", "selector", Map.of("all", true), "baselineId", baselineId,
        "externalRef", "CHG0031337", "callback", Map.of("url", http.url("/itsm/callback"), "secret", CALLBACK_SECRET));
    String key = java.util.UUID.randomUUID().toString();
    var pool = java.util.concurrent.Executors.newFixedThreadPool(10);
    var go = new java.util.concurrent.CountDownLatch(1);
    List<java.util.concurrent.Future<ApiClient.Response>> answers = new java.util.ArrayList<>();
    for (int i = 0; i < 10; i++) {
      answers.add(pool.submit(() -> {
        go.await();
        return api.post("/api/v1/tickets", ApiClient.json(body), "Idempotency-Key", key);
      }));
    }
    go.countDown();
    java.util.Set<String> ids = new java.util.HashSet<>();
    int created = 0;
    for (var f : answers) {
      ApiClient.Response r = f.get(60, TimeUnit.SECONDS);
      assertThat(r.status()).as(r.toString()).isIn(200, 201);
      created += r.status() == 201 ? 1 : 0;
      ids.add(r.json().get("id").asText());
    }
    pool.shutdown();
    assertThat(ids).as("all ten answers name one ticket").hasSize(1);
    assertThat(created).as("one of them created it").isEqualTo(1);
    String id = ids.iterator().next();
    JsonNode listed = api.get("/api/v1/tickets?externalRef=CHG0031337").json();
    assertThat(listed.get("total").asInt()).isEqualTo(1);
    assertThat(listed.get("items").get(0).get("id").asText()).isEqualTo(id);
    assertThat(listed.get("items").get(0).get("parameters").toString()).doesNotContain(CALLBACK_SECRET);
    // one workflow: Temporal knows exactly this id, started once
    var temporal = platform.running.context().getBean(io.temporal.client.WorkflowClient.class);
    var described = temporal.getWorkflowServiceStubs().blockingStub().describeWorkflowExecution(
        io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest.newBuilder().setNamespace("default")
            .setExecution(io.temporal.api.common.v1.WorkflowExecution.newBuilder().setWorkflowId(id)).build());
    assertThat(described.getWorkflowExecutionInfo().getExecution().getWorkflowId()).isEqualTo(id);

    var other = api.post("/api/v1/tickets", ApiClient.json(Map.of("operation", "SCAN", "selector", Map.of("all", true),
        "baselineId", baselineId, "externalRef", "CHG0031338")), "Idempotency-Key", key);
    assertThat(other.status()).isEqualTo(409);
    assertThat(other.body()).contains("Idempotency-Key").contains("different request body").contains(id);

    // the callback: one signed POST when the ticket ends
    platform.waitForEnd(id, Duration.ofMinutes(2));
    var call = TestPlatform.eventually(() -> http.to("/itsm/callback"), l -> !l.isEmpty(), Duration.ofSeconds(30)).get(0);
    assertThat(call.header(WebhookSender.SIGNATURE_HEADER)).isEqualTo(WebhookSender.signature(CALLBACK_SECRET, call.body()));
    JsonNode payload = JSON.readTree(call.body());
    assertThat(payload.get("ticket").get("id").asText()).isEqualTo(id);
    assertThat(payload.get("ticket").get("status").asText()).isEqualTo("COMPLETED");
    assertThat(payload.get("link").asText()).isEqualTo("https://patchloop.example.com/api/v1/tickets/" + id);
    JsonNode callback = TestPlatform.eventually(() -> api.get("/api/v1/tickets/" + id).json().get("callback"),
        c -> c.get("status").asText().equals("SENT"), Duration.ofSeconds(30));
    assertThat(callback.get("attempts").asInt()).isEqualTo(1);
    assertThat(callback.toString()).doesNotContain(CALLBACK_SECRET);
    assertThat(http.to("/itsm/callback")).as("exactly one callback").hasSize(1);
  }

  @Test
  @Order(6)
  void aCallbackEndpointThatFailsIsRetriedThenRecordedAndTheTicketStaysAsItEnded() {
    String id = platform.ticket(Map.of("operation", "SCAN", "selector", Map.of("all", true), "baselineId", baselineId,
        "externalRef", "INC0042", "callback", Map.of("url", http.url("/itsm/broken"))));
    platform.waitForEnd(id, Duration.ofMinutes(2));
    JsonNode callback = TestPlatform.eventually(() -> api.get("/api/v1/tickets/" + id).json().get("callback"),
        c -> c.get("status").asText().equals("FAILED"), Duration.ofSeconds(60));
    assertThat(callback.get("attempts").asInt()).isEqualTo(4);
    // the short reason for everyone; what the ITSM said only for admins (this client is the admin)
    assertThat(callback.get("lastError").asText()).isEqualTo("answered 500");
    assertThat(callback.get("lastErrorDetail").asText()).contains("itsm is down");
    assertThat(callback.get("signed").asBoolean()).isFalse();
    assertThat(http.to("/itsm/broken")).hasSize(4);
    assertThat(http.to("/itsm/broken").get(0).header(WebhookSender.SIGNATURE_HEADER)).as("no secret, no signature")
        .isNull();
    assertThat(api.get("/api/v1/tickets/" + id).json().get("ticket").get("status").asText()).isEqualTo("COMPLETED");
    assertThat(api.get("/api/v1/tickets?externalRef=INC0042").json().get("total").asInt()).isEqualTo(1);
    assertThat(api.get("/api/v1/tickets?externalRef=bad%20ref").status()).isEqualTo(400);
  }

  /**
   * A ticket always ends: its workflow terminated in Temporal (as an operator might, or a cluster
   * that lost it) cannot record its end, so the worker's reconciler does. The ticket ends FAILED
   * with the termination's reason, its hosts that never ran are NOT_RUN, and the ticketing system
   * still gets its signed callback.
   */
  @Test
  @Order(7)
  void aTicketWhoseWorkflowIsTerminatedEndsFailedAndStillCallsBack() throws Exception {
    String id = platform.ticket(Map.of("operation", "SCAN", "selector", Map.of("all", true), "baselineId", baselineId,
        "startAt", Instant.now().plus(Duration.ofHours(1)).toString(), "externalRef", "CHG-TERMINATED",
        "callback", Map.of("url", http.url("/itsm/terminated"), "secret", CALLBACK_SECRET)));
    assertThat(api.get("/api/v1/tickets/" + id).json().get("ticket").get("status").asText()).isEqualTo("SCHEDULED");
    var temporal = platform.running.context().getBean(io.temporal.client.WorkflowClient.class);
    temporal.newUntypedWorkflowStub(id).terminate("terminated by the e2e test");

    JsonNode ended = platform.waitForEnd(id, Duration.ofSeconds(60));
    assertThat(ended.get("ticket").get("status").asText()).isEqualTo("FAILED");
    assertThat(ended.get("ticket").get("endReason").asText())
        .isEqualTo("its workflow was terminated: terminated by the e2e test");
    assertThat(ended.get("ticket").get("notRun").asInt()).isEqualTo(2);
    assertThat(ended.get("hosts")).hasSize(2).allSatisfy(h -> {
      assertThat(h.get("state").asText()).isEqualTo("NOT_RUN");
      assertThat(h.get("errorMessage").asText()).contains("the ticket ended before this host finished");
    });

    var call = TestPlatform.eventually(() -> http.to("/itsm/terminated"), l -> !l.isEmpty(), Duration.ofSeconds(30)).get(0);
    assertThat(call.header(WebhookSender.SIGNATURE_HEADER)).isEqualTo(WebhookSender.signature(CALLBACK_SECRET, call.body()));
    JsonNode payload = JSON.readTree(call.body());
    assertThat(payload.get("ticket").get("status").asText()).isEqualTo("FAILED");
    assertThat(payload.get("ticket").get("endReason").asText()).contains("terminated by the e2e test");
    TimeUnit.SECONDS.sleep(3);
    assertThat(http.to("/itsm/terminated")).as("one callback, however often the reconciler looks").hasSize(1);
  }
}
