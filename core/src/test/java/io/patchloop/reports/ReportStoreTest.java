package io.patchloop.reports;

import static org.assertj.core.api.Assertions.assertThat;

import io.patchloop.baselines.Baseline;
import io.patchloop.baselines.BaselineStore;
import io.patchloop.baselines.PatchCategory;
import io.patchloop.baselines.PatchSeverity;
import io.patchloop.common.OsFamily;
import io.patchloop.compliance.ComplianceEngine;
import io.patchloop.compliance.HostCompliance;
import io.patchloop.hosts.Host;
import io.patchloop.hosts.HostSpec;
import io.patchloop.hosts.HostStore;
import io.patchloop.inventory.Advisory;
import io.patchloop.inventory.AdvisoryPackage;
import io.patchloop.inventory.HostInventory;
import io.patchloop.inventory.InstalledPackage;
import io.patchloop.rpm.Evr;
import io.patchloop.store.StoreTestApplication;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A report written over the host's previous one writes only the patch rows that changed, and reads
 * back exactly as the same report written on a host that had none: through random rescans that add
 * and drop advisories, change states, packages, descriptions and failure messages.
 */
@SpringBootTest(classes = StoreTestApplication.class)
class ReportStoreTest {

  @DynamicPropertySource
  static void database(DynamicPropertyRegistry registry) {
    StoreTestApplication.database(registry, "reportstore");
  }

  static final Instant NOW = Instant.parse("2026-11-27T00:00:00Z");

  @Autowired ReportStore reports;
  @Autowired HostStore hosts;
  @Autowired BaselineStore baselines;
  @Autowired JdbcClient jdbc;

  Baseline baseline;
  Host rescanned;
  Host fresh;

  @BeforeEach
  void setUp() {
    jdbc.sql("DELETE FROM hosts").update();
    baseline = baselines.list(OsFamily.HCE).stream().filter(b -> b.name().equals("HCE-default")).findFirst().orElseThrow();
    rescanned = host("rescanned", 1);
    fresh = host("fresh", 2);
    // counts what the writes do to report_patches (a test-only trigger; the product has none)
    jdbc.sql("CREATE TABLE IF NOT EXISTS test_patch_writes (kind VARCHAR(8) PRIMARY KEY, n INT NOT NULL)").update();
    jdbc.sql("DELETE FROM test_patch_writes").update();
    jdbc.sql("INSERT INTO test_patch_writes VALUES ('insert', 0), ('delete', 0)").update();
    jdbc.sql("CREATE TRIGGER test_count_inserts AFTER INSERT ON report_patches FOR EACH ROW"
        + " UPDATE test_patch_writes SET n = n + 1 WHERE kind = 'insert'").update();
    jdbc.sql("CREATE TRIGGER test_count_deletes AFTER DELETE ON report_patches FOR EACH ROW"
        + " UPDATE test_patch_writes SET n = n + 1 WHERE kind = 'delete'").update();
  }

  @AfterEach
  void dropTriggers() {
    jdbc.sql("DROP TRIGGER IF EXISTS test_count_inserts").update();
    jdbc.sql("DROP TRIGGER IF EXISTS test_count_deletes").update();
  }

  Host host(String name, int i) {
    return hosts.create(new HostSpec(name, "10.0.1." + i, null, null, "/keys/id_ed25519", null, OsFamily.HCE, null, Map.of()));
  }

  @Test
  void aRescanReadsBackAsAFreshReportThroughRandomChanges() {
    Random random = new Random(20);
    for (int round = 0; round < 40; round++) {
      Scan scan = randomScan(random, round);
      scan.writeOn(rescanned);
      jdbc.sql("DELETE FROM compliance_reports WHERE host_id = ?").param(fresh.id()).update();
      scan.writeOn(fresh);
      HostReport a = reports.newest(rescanned.id()).orElseThrow();
      HostReport b = reports.newest(fresh.id()).orElseThrow();
      assertThat(a.patches()).as("round %d", round).isEqualTo(b.patches());
      assertThat(a.countsByState()).isEqualTo(b.countsByState());
      assertThat(a.countsByLevel()).isEqualTo(b.countsByLevel());
      assertThat(List.of(a.status(), a.osRelease(), a.runningKernel(), a.warnings()))
          .isEqualTo(List.of(b.status(), b.osRelease(), b.runningKernel(), b.warnings()));
      assertThat(levelCountRows(rescanned)).as("round %d", round).isEqualTo(levelCountRows(fresh));
      assertThat(reports.failedAdvisories(rescanned.id())).isEqualTo(reports.failedAdvisories(fresh.id()));
    }
  }

  @Test
  void aRescanWritesOnlyThePatchRowsThatChanged() {
    Random random = new Random(7);
    Scan first = randomScan(random, 0);
    first.writeOn(rescanned);
    int patches = reports.newest(rescanned.id()).orElseThrow().patches().size();
    assertThat(patches).isGreaterThan(20);
    assertThat(writes()).isEqualTo(Map.of("insert", patches, "delete", 0));

    resetWrites();
    first.writeOn(rescanned);
    assertThat(writes()).as("the same scan again").isEqualTo(Map.of("insert", 0, "delete", 0));
    assertThat(reports.newest(rescanned.id()).orElseThrow().patches()).hasSize(patches);

    resetWrites();
    Scan updated = first.withPackageUpdated(first.installed.get(0).name());
    updated.writeOn(rescanned);
    Map<String, Integer> w = writes();
    assertThat(w.get("insert")).as("rows rewritten for one updated package").isBetween(1, 3).isEqualTo(w.get("delete"));
  }

  Map<String, Integer> writes() {
    Map<String, Integer> w = new HashMap<>();
    jdbc.sql("SELECT kind, n FROM test_patch_writes").query((rs, n) -> w.put(rs.getString(1), rs.getInt(2))).list();
    return w;
  }

  void resetWrites() {
    jdbc.sql("UPDATE test_patch_writes SET n = 0").update();
  }

  List<String> levelCountRows(Host h) {
    return jdbc.sql("SELECT CONCAT(state, '|', compliance_level, '|', patches) FROM report_level_counts WHERE host_id = ?"
            + " ORDER BY 1").param(h.id()).query(String.class).list();
  }

  /** One scan's inventory and the repairs that failed before it. */
  final class Scan {
    final List<InstalledPackage> installed;
    final List<Advisory> advisories;
    final Set<String> failed;
    final Map<String, String> failureMessages;
    final String kernel;

    Scan(List<InstalledPackage> installed, List<Advisory> advisories, Set<String> failed,
        Map<String, String> failureMessages, String kernel) {
      this.installed = installed;
      this.advisories = advisories;
      this.failed = failed;
      this.failureMessages = failureMessages;
      this.kernel = kernel;
    }

    void writeOn(Host host) {
      var inventory = new HostInventory("hce", "2.0", "HCE 2.0", kernel, NOW.minusSeconds(3600), installed, Set.of(),
          advisories, false, 60L);
      HostCompliance compliance = new ComplianceEngine().evaluate(inventory, baseline, NOW, failed);
      reports.replace(host.id(), baseline.id(), null, "SCAN", NOW, inventory, compliance, failureMessages,
          kernel.endsWith("1") ? List.of(ReportWarning.STALE_METADATA) : List.of());
    }

    Scan withPackageUpdated(String name) {
      List<InstalledPackage> now = new ArrayList<>();
      for (InstalledPackage p : installed) {
        now.add(p.name().equals(name) ? new InstalledPackage(name, Evr.parse("0:9.0-1.hce2"), p.arch(), p.installedAt()) : p);
      }
      return new Scan(now, advisories, failed, failureMessages, kernel);
    }
  }

  /**
   * 60 packages; an advisory per package for a random two thirds of them (so rounds add and drop
   * advisories), at a fixed version of 2.0 or 3.0, with a CVE list and severity that change now and then.
   */
  Scan randomScan(Random random, int round) {
    List<InstalledPackage> installed = new ArrayList<>();
    List<Advisory> advisories = new ArrayList<>();
    Set<String> failed = new HashSet<>();
    Map<String, String> messages = new HashMap<>();
    for (int i = 0; i < 60; i++) {
      String pkg = "pkg" + i;
      int version = 1 + random.nextInt(3);
      installed.add(new InstalledPackage(pkg, Evr.parse("0:" + version + ".0-1.hce2"), "x86_64", NOW.minusSeconds(7200)));
      if (random.nextInt(3) > 0) {
        String id = "HCE2-SA-2026-" + (1000 + i);
        List<String> cves = random.nextInt(5) == 0 ? List.of("CVE-2026-" + (2000 + i), "CVE-2026-" + (3000 + round))
            : List.of("CVE-2026-" + (2000 + i));
        advisories.add(new Advisory(id, pkg, "security", PatchCategory.SECURITY,
            random.nextBoolean() ? PatchSeverity.CRITICAL : PatchSeverity.MODERATE, NOW.minusSeconds(86400L * (10 + i)),
            List.of(new AdvisoryPackage(pkg, Evr.parse("0:" + (2 + random.nextInt(2)) + ".0-1.hce2"), "x86_64")), cves,
            i % 10 == 0));
        if (random.nextInt(6) == 0) {
          failed.add(id);
          messages.put(id, "failed in round " + random.nextInt(3));
        }
      }
    }
    return new Scan(installed, advisories, failed, messages, "5.10.0-" + random.nextInt(2));
  }
}
