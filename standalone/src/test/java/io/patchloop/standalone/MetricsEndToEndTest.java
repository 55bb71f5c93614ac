package io.patchloop.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.patchloop.testing.http.ApiClient;
import io.patchloop.testing.http.RecordingHttpServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The standalone platform's one /actuator/prometheus after a ticket ran: a scan of a host whose SSH
 * port is closed fails the host UNREACHABLE after three collect attempts, the ticket's end goes
 * to a webhook on loopback, and the endpoint shows the ticket gauge, the host's outcome, the step's
 * duration histogram, the delivery and the Temporal SDK's own meters; a viewer's token and the
 * scrape token read it, no token does not.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MetricsEndToEndTest {

  static final String ADMIN = "admin-token-0123456789abcdef";
  static final String VIEWER = "viewer-token-0123456789abcdef";
  static final String SCRAPE = "scrape-token-0123456789abcdef";

  TestPlatform platform;
  RecordingHttpServer receiver;

  @BeforeAll
  void start() throws Exception {
    receiver = new RecordingHttpServer();
    platform = TestPlatform.startWithTokens(List.of(new TestPlatform.Token("ops-admin", ADMIN, "ADMIN"),
            new TestPlatform.Token("ops-viewer", VIEWER, "VIEWER")),
        "--patchloop.metrics.scrape-token=" + SCRAPE, "--patchloop.metrics.refresh-interval=1s");
  }

  @AfterAll
  void stop() {
    if (platform != null) {
      platform.close();
    }
    if (receiver != null) {
      receiver.close();
    }
  }

  @Test
  void aTicketsHostOutcomeStepAndDeliveryShowInThePrometheusText() {
    ApiClient api = platform.api;
    var channel = api.post("/api/v1/notification-channels", ApiClient.json(Map.of("name", "ops-hook", "type",
        "WEBHOOK", "webhook", Map.of("url", receiver.url("/hook"), "secret", "s3cret-signing-key-0123456789"))));
    assertThat(channel.status()).as(channel.toString()).isEqualTo(201);
    var subscribed = api.post("/api/v1/notification-subscriptions", ApiClient.json(Map.of("channelId",
        channel.json().get("id").asLong(), "event", "TICKET_FINISHED")));
    assertThat(subscribed.status()).as(subscribed.toString()).isEqualTo(201);
    var host = api.post("/api/v1/hosts", ApiClient.json(Map.of("name", "port-closed", "address", "127.0.0.1",
        "port", closedPort(), "keyPath", "/nonexistent/key", "osFamily", "HCE")));
    assertThat(host.status()).as(host.toString()).isEqualTo(201);

    String id = platform.ticket(Map.of("operation", "SCAN", "hostIds", List.of(host.json().get("id").asLong())));
    JsonNode ended = platform.waitForEnd(id, Duration.ofMinutes(2));
    assertThat(ended.get("hosts").get(0).get("errorKind").asText()).isEqualTo("UNREACHABLE");

    ApiClient viewer = api.as(VIEWER);
    String text = TestPlatform.eventually(() -> viewer.get("/actuator/prometheus").body(),
        t -> t.contains("patchloop_notification_deliveries_total{application=\"patchloop-standalone\","
            + "channel_type=\"webhook\",result=\"sent\"} 1.0")
            && t.contains("patchloop_tickets{application=\"patchloop-standalone\",operation=\"SCAN\","
            + "status=\"" + ended.get("ticket").get("status").asText() + "\"} 1.0"),
        Duration.ofSeconds(30));
    assertThat(text)
        .contains("patchloop_host_outcomes_total{application=\"patchloop-standalone\",error_kind=\"UNREACHABLE\","
            + "operation=\"SCAN\",outcome=\"failed\"} 1.0")
        // each of the three attempts of the collect step (UNREACHABLE is retried), one host outcome
        .contains("patchloop_host_step_duration_seconds_count{application=\"patchloop-standalone\","
            + "outcome=\"failure\",step=\"collect\"} 3")
        .contains("patchloop_host_step_duration_seconds_bucket{application=\"patchloop-standalone\","
            + "outcome=\"failure\",step=\"collect\",le=\"+Inf\"} 3")
        .contains("patchloop_agents{application=\"patchloop-standalone\",state=\"ONLINE\"} 0.0")
        // the Temporal starter publishes the SDK's meters to the same registry, latency as a histogram
        .contains("temporal_activity_execution_latency_seconds_bucket{")
        .contains("temporal_activity_execution_failed_total{activity_type=\"CollectInventory\"")
        .doesNotContain(id).doesNotContain("port-closed");
    assertThat(receiver.to("/hook")).hasSize(1);

    assertThat(api.as(SCRAPE).get("/actuator/prometheus").body()).contains("patchloop_host_outcomes_total{");
    assertThat(api.as(SCRAPE).get("/api/v1/tickets/" + id).status()).isEqualTo(401);
    assertThat(api.as(null).get("/actuator/prometheus").status()).isEqualTo(401);
    assertThat(api.as(null).get("/actuator/health").status()).isEqualTo(200);
  }

  static int closedPort() {
    try {
      return TestPlatform.freePort();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
