package io.patchloop.worker.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.patchloop.testing.db.TestDatabase;
import io.patchloop.testing.http.ApiClient;
import io.patchloop.worker.WorkerApplication;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The worker alone (profile "worker", as WorkerApplication starts it) on a real database and the
 * in-memory Temporal test server, over loopback HTTP: its own /actuator/prometheus answers the
 * scrape token only, with the worker's meters and none of the API's database gauges.
 */
@SpringBootTest(classes = WorkerApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("worker")
class WorkerMetricsEndpointTest {

  static final String SCRAPE = "scrape-token-0123456789abcdef";

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    var db = TestDatabase.create("workermetrics");
    registry.add("spring.datasource.url", db::url);
    registry.add("spring.datasource.username", db::username);
    registry.add("spring.datasource.password", db::password);
    registry.add("spring.temporal.test-server.enabled", () -> "true");
    registry.add("patchloop.secrets.master-key", () -> "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=");
    registry.add("patchloop.metrics.scrape-token", () -> SCRAPE);
  }

  @LocalServerPort int port;

  @Test
  void theWorkersOwnEndpointAnswersTheScrapeTokenOnly() {
    var scrape = new ApiClient("http://127.0.0.1:" + port, SCRAPE);

    var anonymous = scrape.as(null).get("/actuator/prometheus");
    assertThat(anonymous.status()).as(anonymous.toString()).isEqualTo(401);
    assertThat(scrape.as("not-the-scrape-token-0123456789").get("/actuator/prometheus").status()).isEqualTo(401);
    assertThat(scrape.as(null).get("/actuator/health").status()).isEqualTo(200);

    var scraped = scrape.get("/actuator/prometheus");
    assertThat(scraped.status()).as(scraped.toString()).isEqualTo(200);
    // the SDK registers its poller gauge when the pollers first poll, a moment after the start
    for (long deadline = System.nanoTime() + 30_000_000_000L;
        !scraped.body().contains("temporal_num_pollers{") && System.nanoTime() < deadline; ) {
      sleep(200);
      scraped = scrape.get("/actuator/prometheus");
    }
    assertThat(scraped.body())
        .contains("jvm_memory_used_bytes{application=\"patchloop-worker\"")
        // the Temporal starter's SDK meters: the worker's pollers on the tickets queue
        .contains("temporal_num_pollers{")
        .contains("task_queue=\"patchloop-tickets\"")
        // the database gauges are the API's to publish: once per platform, not once per worker
        .doesNotContain("patchloop_tickets{").doesNotContain("patchloop_metrics_refresh_failures_total");
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
