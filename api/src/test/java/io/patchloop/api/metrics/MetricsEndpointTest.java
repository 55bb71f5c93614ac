package io.patchloop.api.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.patchloop.api.ApiApplication;
import io.patchloop.api.ApiTestProperties;
import io.patchloop.metrics.DatabaseGauges;
import io.patchloop.testing.http.ApiClient;
import io.patchloop.tickets.TicketStore;
import io.patchloop.workflows.ticket.Operation;
import io.patchloop.workflows.ticket.TicketStatus;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * /actuator/prometheus on the API over loopback HTTP, against a real MariaDB: who may read it (a
 * reader's token or the scrape token, and the scrape token nowhere else), and the gauges the API
 * reads from the database.
 */
@SpringBootTest(classes = ApiApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class MetricsEndpointTest {

  static final String SCRAPE = "scrape-token-0123456789abcdef";

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    ApiTestProperties.register(registry, "metricsendpoint", ApiTestProperties.EVERY_ROLE);
    registry.add("patchloop.metrics.scrape-token", () -> SCRAPE);
    // the test refreshes by hand; the background refresh should not race it
    registry.add("patchloop.metrics.refresh-interval", () -> "1h");
  }

  @LocalServerPort int port;
  @Autowired DatabaseGauges gauges;
  @Autowired TicketStore tickets;
  @Autowired JdbcClient jdbc;
  ApiClient admin;

  @BeforeEach
  void client() {
    admin = new ApiClient("http://127.0.0.1:" + port, ApiTestProperties.ADMIN);
  }

  ApiClient as(String token) {
    return admin.as(token);
  }

  @Test
  void aReadersTokenOrTheScrapeTokenReadsTheMetricsAndNothingElseDoes() {
    var anonymous = as(null).get("/actuator/prometheus");
    assertThat(anonymous.status()).as(anonymous.toString()).isEqualTo(401);
    assertThat(as("not-a-token-0123456789abcdef").get("/actuator/prometheus").status()).isEqualTo(401);

    for (String reader : List.of(ApiTestProperties.VIEWER, ApiTestProperties.OPERATOR, ApiTestProperties.ADMIN, SCRAPE)) {
      var scraped = as(reader).get("/actuator/prometheus");
      assertThat(scraped.status()).as(scraped.toString()).isEqualTo(200);
      assertThat(scraped.contentType()).startsWith("text/plain");
      assertThat(scraped.body()).contains("# TYPE jvm_memory_used_bytes gauge")
          .contains("application=\"patchloop-api\"");
    }

    // health stays open, as before
    assertThat(as(null).get("/actuator/health").status()).isEqualTo(200);
    // the scrape token is no token anywhere else: not a reader, not an admin, not another actuator endpoint
    assertThat(as(SCRAPE).get("/api/v1/hosts").status()).isEqualTo(401);
    assertThat(as(SCRAPE).get("/api/v1/tickets").status()).isEqualTo(401);
    assertThat(as(SCRAPE).post("/api/v1/hosts", "{}").status()).isEqualTo(401);
    assertThat(as(SCRAPE).get("/actuator/health").status()).isEqualTo(401);
    assertThat(as(SCRAPE).get("/actuator").status()).isEqualTo(401);
    assertThat(as(SCRAPE).get("/console").status()).isNotEqualTo(200);
    assertThat(as(SCRAPE).get("/actuator/prometheus?name=x").status()).isEqualTo(200);
  }

  @Test
  void theGaugesCountTicketsCompliantHostsAndAgentsFromTheDatabase() {
    jdbc.sql("DELETE FROM tickets").update();
    jdbc.sql("DELETE FROM hosts").update();
    long web1 = host("web-1");
    long web2 = host("web-2");
    var agent = admin.post("/api/v1/hosts", ApiClient.json(Map.of("name", "agent-1", "address", "10.0.0.9",
        "osFamily", "HCE", "access", "AGENT")));
    assertThat(agent.status()).as(agent.toString()).isEqualTo(201);
    tickets.create("metrics-t1", Operation.SCAN, null, "{}", List.of(web1, web2));
    tickets.create("metrics-t2", Operation.SCAN, null, "{}", List.of(web1));
    tickets.setStatus("metrics-t2", TicketStatus.RUNNING);
    tickets.create("metrics-t3", Operation.REPAIR, null, "{}", List.of(web2));
    long baseline = jdbc.sql("SELECT id FROM baselines WHERE name = 'HCE-default'").query(Long.class).single();
    report(web1, baseline, "COMPLIANT");
    report(web2, baseline, "NON_COMPLIANT");

    gauges.refreshNow();
    String text = as(ApiTestProperties.VIEWER).get("/actuator/prometheus").body();
    assertThat(text)
        .contains("patchloop_tickets{application=\"patchloop-api\",operation=\"SCAN\",status=\"CREATED\"} 1.0")
        .contains("patchloop_tickets{application=\"patchloop-api\",operation=\"SCAN\",status=\"RUNNING\"} 1.0")
        .contains("patchloop_tickets{application=\"patchloop-api\",operation=\"REPAIR\",status=\"CREATED\"} 1.0")
        .contains("patchloop_compliance_hosts{application=\"patchloop-api\",baseline=\"HCE-default\",status=\"COMPLIANT\"} 1.0")
        .contains("patchloop_compliance_hosts{application=\"patchloop-api\",baseline=\"HCE-default\",status=\"NON_COMPLIANT\"} 1.0")
        .contains("patchloop_agents{application=\"patchloop-api\",state=\"NEVER_SEEN\"} 1.0")
        .contains("patchloop_agents{application=\"patchloop-api\",state=\"ONLINE\"} 0.0")
        .contains("patchloop_metrics_refresh_failures_total{application=\"patchloop-api\",gauge=\"patchloop.tickets\"} 0.0")
        // low cardinality: no host or ticket is ever a tag
        .doesNotContain("metrics-t1").doesNotContain("web-1");

    // a status that empties reads 0 rather than vanishing
    tickets.setStatus("metrics-t2", TicketStatus.PAUSED);
    gauges.refreshNow();
    assertThat(as(ApiTestProperties.VIEWER).get("/actuator/prometheus").body())
        .contains("patchloop_tickets{application=\"patchloop-api\",operation=\"SCAN\",status=\"RUNNING\"} 0.0")
        .contains("patchloop_tickets{application=\"patchloop-api\",operation=\"SCAN\",status=\"PAUSED\"} 1.0");
  }

  long host(String name) {
    var created = admin.post("/api/v1/hosts", ApiClient.json(Map.of("name", name, "address", "10.0.0.1", "port", 22,
        "keyPath", "/keys/lab", "osFamily", "HCE")));
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    return created.json().get("id").asLong();
  }

  void report(long hostId, long baselineId, String status) {
    jdbc.sql("INSERT INTO compliance_reports (host_id, baseline_id, operation, scanned_at, status, os_family,"
            + " installed_count, installed_other_count, pending_reboot_count, installed_rejected_count, missing_count,"
            + " failed_count) VALUES (?, ?, 'SCAN', ?, ?, 'HCE', 0, 0, 0, 0, 0, 0)")
        .params(hostId, baselineId, Timestamp.from(Instant.now()), status).update();
  }
}
