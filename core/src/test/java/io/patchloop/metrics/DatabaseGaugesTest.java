package io.patchloop.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.patchloop.testing.db.TestDatabase;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * The database gauges against a real MariaDB, and then against a database that is away (a port
 * nothing listens on): the gauge keeps its last value, the failure is counted, and reading the
 * registry (what a scrape does) never touches the database.
 */
class DatabaseGaugesTest {

  static TestDatabase.Database db;

  @BeforeAll
  static void database() {
    db = TestDatabase.create("databasegauges");
  }

  @AfterAll
  static void drop() {
    TestDatabase.drop(db);
  }

  static JdbcClient client(String url) {
    return JdbcClient.create(new DriverManagerDataSource(url, db.username(), db.password()));
  }

  @Test
  void aRefreshReadsTheDatabaseAScrapeDoesNotAndAFailedRefreshKeepsTheLastValues() throws Exception {
    JdbcClient up = client(db.url());
    up.sql("CREATE TABLE things (kind VARCHAR(8) NOT NULL)").update();
    up.sql("INSERT INTO things VALUES ('a'), ('a'), ('b')").update();
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    JdbcClient away = client("jdbc:mysql://127.0.0.1:" + closedPort + "/nothing?connectTimeout=1000");

    AtomicReference<JdbcClient> database = new AtomicReference<>(up);
    AtomicInteger queries = new AtomicInteger();
    var registry = new SimpleMeterRegistry();
    try (var gauges = new DatabaseGauges(registry, Duration.ofHours(1))) {
      gauges.register(new DatabaseGauges.Family("test.things", "things by kind", () -> {
        queries.incrementAndGet();
        Map<Tags, Long> counts = new java.util.HashMap<>();
        database.get().sql("SELECT kind, COUNT(*) AS n FROM things GROUP BY kind")
            .query(rs -> {
              counts.put(Tags.of("kind", rs.getString("kind")), rs.getLong("n"));
            });
        return counts;
      }));
      gauges.refreshNow();
      assertThat(value(registry, "a")).isEqualTo(2.0);
      assertThat(value(registry, "b")).isEqualTo(1.0);

      // scrapes read the kept values: no query however many there are
      for (int i = 0; i < 100; i++) {
        value(registry, "a");
      }
      assertThat(queries).hasValue(1);

      up.sql("DELETE FROM things WHERE kind = 'b'").update();
      database.set(away);
      gauges.refreshNow();
      assertThat(value(registry, "a")).as("kept through the failed refresh").isEqualTo(2.0);
      assertThat(value(registry, "b")).isEqualTo(1.0);
      assertThat(registry.get("patchloop.metrics.refresh.failures").tag("gauge", "test.things").counter().count())
          .isEqualTo(1.0);

      database.set(up);
      gauges.refreshNow();
      assertThat(value(registry, "b")).as("gone from the table: 0, still there").isEqualTo(0.0);
      assertThat(registry.get("patchloop.metrics.refresh.failures").tag("gauge", "test.things").counter().count())
          .isEqualTo(1.0);
    }
  }

  static double value(SimpleMeterRegistry registry, String kind) {
    return registry.get("test.things").tag("kind", kind).gauge().value();
  }
}
