package io.patchloop.baselines;

import static org.assertj.core.api.Assertions.assertThat;

import io.patchloop.testing.db.TestDatabase;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationVersion;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * V20 adds the built-in openEuler baseline, the OPENEULER default unless a user made one already
 * (one default per OS, and theirs stays), and leaves a user's baseline named openEuler-default alone.
 */
class OpenEulerDefaultBaselineMigrationTest {

  static final String RULE = "[0, [\"ALL\"], [\"SECURITY\"], [\"CRITICAL\",\"IMPORTANT\"], 7, HIGH]";

  TestDatabase.Database db;
  JdbcClient jdbc;

  @BeforeEach
  void aDatabaseBeforeV20() {
    db = TestDatabase.create("oedefault");
    jdbc = JdbcClient.create(new DriverManagerDataSource(db.url(), db.username(), db.password()));
    flyway(versionBeforeV20()).migrate();
  }

  /** The newest migration before V20, whichever numbers the others took (they land from other branches). */
  String versionBeforeV20() {
    MigrationVersion v20 = MigrationVersion.fromVersion("20");
    return Arrays.stream(flyway("latest").info().all()).map(MigrationInfo::getVersion)
        .filter(v -> v.compareTo(v20) < 0).max(Comparator.naturalOrder()).orElseThrow().getVersion();
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
  void withNoOpenEulerBaselineTheBuiltInBecomesItsDefaultWithTheSeedRule() {
    assertThat(baselines("OPENEULER")).isEmpty();

    flyway("20").migrate();

    assertThat(baselines("OPENEULER")).containsExactly(
        Map.of("name", "openEuler-default", "default_for_os", true, "built_in", true));
    assertThat(rules("openEuler-default")).containsExactly(RULE);
    assertThat(rules("HCE-default")).as("the same rule as the seed's").containsExactly(RULE);
    assertThat(defaults()).containsExactly("CENTOS", "EULEROS", "HCE", "OPENEULER");
  }

  @Test
  void aUsersOpenEulerDefaultStaysTheDefaultAndTheBuiltInComesBesideIt() {
    userBaseline("oe-mine", "OPENEULER", true);
    userBaseline("oe-other", "OPENEULER", false);

    flyway("20").migrate();

    assertThat(baselines("OPENEULER")).containsExactly(
        Map.of("name", "oe-mine", "default_for_os", true, "built_in", false),
        Map.of("name", "oe-other", "default_for_os", false, "built_in", false),
        Map.of("name", "openEuler-default", "default_for_os", false, "built_in", true));
    assertThat(rules("openEuler-default")).containsExactly(RULE);
    assertThat(defaults()).as("one default per OS").containsExactly("CENTOS", "EULEROS", "HCE", "OPENEULER");
  }

  @Test
  void aUsersBaselineOfThatNameIsLeftAsItIsAndNoneIsAdded() {
    userBaseline("openEuler-default", "HCE", false);
    jdbc.sql("INSERT INTO baseline_rules (baseline_id, position, products, categories, severities, approve_after_days,"
        + " approve_until_date, compliance_level) SELECT id, 0, '[\"ALL\"]', '[\"BUGFIX\"]', '[\"ALL\"]', 1, NULL, 'LOW'"
        + " FROM baselines WHERE name = 'openEuler-default'").update();

    flyway("20").migrate();

    assertThat(baselines("OPENEULER")).isEmpty();
    assertThat(baselines("HCE")).contains(Map.of("name", "openEuler-default", "default_for_os", false,
        "built_in", false));
    assertThat(rules("openEuler-default")).as("the user's own rule only")
        .containsExactly("[0, [\"ALL\"], [\"BUGFIX\"], [\"ALL\"], 1, LOW]");
  }

  private void userBaseline(String name, String os, boolean isDefault) {
    jdbc.sql("INSERT INTO baselines (name, scenario, os, approved_patches_compliance_level, rejected_patches_action,"
            + " default_for_os, built_in, created_at, updated_at)"
            + " VALUES (?, 'ECS', ?, 'UNSPECIFIED', 'ALLOW_AS_DEPENDENCY', ?, FALSE, NOW(3), NOW(3))")
        .params(name, os, isDefault).update();
  }

  private List<Map<String, Object>> baselines(String os) {
    return jdbc.sql("SELECT name, default_for_os, built_in FROM baselines WHERE os = ? ORDER BY name").param(os)
        .query((rs, n) -> Map.<String, Object>of("name", rs.getString(1), "default_for_os", rs.getBoolean(2),
            "built_in", rs.getBoolean(3))).list();
  }

  private List<String> rules(String baseline) {
    return jdbc.sql("SELECT r.position, r.products, r.categories, r.severities, r.approve_after_days, r.compliance_level"
            + " FROM baseline_rules r JOIN baselines b ON b.id = r.baseline_id WHERE b.name = ? ORDER BY r.position")
        .param(baseline)
        .query((rs, n) -> "[" + rs.getInt(1) + ", " + rs.getString(2) + ", " + rs.getString(3) + ", "
            + rs.getString(4) + ", " + rs.getInt(5) + ", " + rs.getString(6) + "]").list();
  }

  private List<String> defaults() {
    return jdbc.sql("SELECT os FROM baselines WHERE default_for_os ORDER BY os").query(String.class).list();
  }
}
