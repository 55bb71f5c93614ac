package io.patchloop.reports;

import static org.assertj.core.api.Assertions.assertThat;

import io.patchloop.testing.db.TestDatabase;
import java.util.List;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * V12 counts the patches of the reports already stored, so the summaries read the same numbers
 * from the new table as from the patch rows before it, and a host's counts go with its report.
 */
class ReportLevelCountsMigrationTest {

  TestDatabase.Database db;
  JdbcClient jdbc;

  @BeforeEach
  void aDatabaseAtV11() {
    db = TestDatabase.create("levelcounts");
    jdbc = JdbcClient.create(new DriverManagerDataSource(db.url(), db.username(), db.password()));
    flyway("11").migrate();
  }

  @AfterEach
  void drop() {
    TestDatabase.drop(db);
  }

  Flyway flyway(String target) {
    return Flyway.configure().dataSource(db.url(), db.username(), db.password()).locations("classpath:db/migration")
        .target(target).load();
  }

  @Test
  void reportsStoredBeforeAreCountedByStateAndLevel() {
    for (int host = 1; host <= 2; host++) {
      jdbc.sql("INSERT INTO hosts (id, name, address, port, username, key_path, os_family, scenario, created_at,"
          + " updated_at) VALUES (?, ?, '10.0.0.1', 22, 'root', '/keys/lab', 'HCE', 'REAL', NOW(3), NOW(3))")
          .params(host, "old-" + host).update();
      jdbc.sql("INSERT INTO compliance_reports (host_id, baseline_id, operation, scanned_at, status, installed_count,"
          + " installed_other_count, pending_reboot_count, installed_rejected_count, missing_count, failed_count)"
          + " VALUES (?, 1, 'SCAN', NOW(3), 'NON_COMPLIANT', 1, 1, 0, 0, 2, 0)").param(host).update();
    }
    patch(1, "A-1", "MISSING", "CRITICAL");
    patch(1, "A-2", "MISSING", "CRITICAL");
    patch(1, "A-3", "MISSING", "HIGH");
    patch(1, "A-4", "INSTALLED", "HIGH");
    patch(1, "A-5", "INSTALLED_OTHER", null);
    patch(2, "A-1", "INSTALLED_OTHER", null);

    flyway("latest").migrate();

    assertThat(counts()).containsExactly(
        Map.of("host_id", 1L, "state", "INSTALLED", "compliance_level", "HIGH", "patches", 1),
        Map.of("host_id", 1L, "state", "INSTALLED_OTHER", "compliance_level", "", "patches", 1),
        Map.of("host_id", 1L, "state", "MISSING", "compliance_level", "CRITICAL", "patches", 2),
        Map.of("host_id", 1L, "state", "MISSING", "compliance_level", "HIGH", "patches", 1),
        Map.of("host_id", 2L, "state", "INSTALLED_OTHER", "compliance_level", "", "patches", 1));

    jdbc.sql("DELETE FROM compliance_reports WHERE host_id = 1").update();
    assertThat(counts()).as("counts go with their report").hasSize(1);
  }

  private void patch(long host, String advisory, String state, String level) {
    jdbc.sql("INSERT INTO report_patches (host_id, advisory_id, state, compliance_level, severity, category,"
            + " reboot_suggested, cves, packages) VALUES (?, ?, ?, ?, 'CRITICAL', 'SECURITY', FALSE, '[]', '[]')")
        .params(host, advisory, state, level).update();
  }

  private List<Map<String, Object>> counts() {
    return jdbc.sql("SELECT host_id, state, compliance_level, patches FROM report_level_counts"
        + " ORDER BY host_id, state, compliance_level").query().listOfRows();
  }
}
