package io.patchloop.reports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.patchloop.baselines.Baseline;
import io.patchloop.baselines.BaselineStore;
import io.patchloop.baselines.ComplianceLevel;
import io.patchloop.baselines.PatchCategory;
import io.patchloop.baselines.PatchSeverity;
import io.patchloop.common.FieldProblem;
import io.patchloop.common.InvalidInputException;
import io.patchloop.common.OsFamily;
import io.patchloop.compliance.ComplianceEngine;
import io.patchloop.compliance.ComplianceStatus;
import io.patchloop.compliance.HostCompliance;
import io.patchloop.compliance.PatchState;
import io.patchloop.fleet.FleetCounts;
import io.patchloop.hosts.Host;
import io.patchloop.hosts.HostSpec;
import io.patchloop.hosts.HostStore;
import io.patchloop.inventory.Advisory;
import io.patchloop.inventory.AdvisoryPackage;
import io.patchloop.inventory.HostInventory;
import io.patchloop.inventory.InstalledPackage;
import io.patchloop.reports.ComplianceSummary.Totals;
import io.patchloop.rpm.Evr;
import io.patchloop.store.StoreTestApplication;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

@SpringBootTest(classes = StoreTestApplication.class)
class ComplianceSummaryStoreTest {

  @DynamicPropertySource
  static void database(DynamicPropertyRegistry registry) {
    StoreTestApplication.database(registry, "compliancesummary");
  }

  static final Instant NOW = Instant.parse("2026-11-27T00:00:00Z");
  static final String SECURITY = "HCE2-SA-2026-0001";

  @Autowired ComplianceSummaryStore summaries;
  @Autowired HostStore hosts;
  @Autowired ReportStore reports;
  @Autowired BaselineStore baselines;
  @Autowired JdbcClient jdbc;
  @Autowired FleetCounts counts;

  Baseline baseline;

  @BeforeEach
  void empty() {
    jdbc.sql("DELETE FROM hosts").update();
    counts.rebuild(); // the rows went without HostStore.delete: count again from no report
    baseline = baselines.list(OsFamily.HCE).stream().filter(b -> b.name().equals("HCE-default")).findFirst()
        .orElseThrow();
  }

  Host host(String name, OsFamily os, Map<String, String> tags) {
    return hosts.create(new HostSpec(name, "10.0.0.1", null, null, "/keys/id_ed25519", null, os, null, tags));
  }

  /**
   * A host with openssl at {@code opensslRelease} and nginx up to date, against a Critical security
   * advisory fixed in openssl 1.1.1m-21 (approved by the built-in rule: HIGH) and a bug fix for nginx
   * (not approved: INSTALLED_OTHER when installed).
   */
  HostCompliance scan(Host host, String opensslRelease, Set<String> failedAdvisories) {
    var installed = List.of(new InstalledPackage("openssl", Evr.parse("1:1.1.1m-" + opensslRelease), "x86_64", NOW),
        new InstalledPackage("nginx", Evr.parse("1:1.21.5-4.hce2"), "x86_64", NOW));
    var advisories = List.of(
        new Advisory(SECURITY, "openssl", "security", PatchCategory.SECURITY, PatchSeverity.CRITICAL,
            NOW.minusSeconds(30 * 86400), List.of(new AdvisoryPackage("openssl", Evr.parse("1:1.1.1m-21.hce2"), "x86_64")),
            List.of("CVE-2024-0727"), false),
        new Advisory("HCE2-BA-2026-0002", "nginx", "bugfix", PatchCategory.BUGFIX, PatchSeverity.LOW,
            NOW.minusSeconds(30 * 86400), List.of(new AdvisoryPackage("nginx", Evr.parse("1:1.21.5-4.hce2"), "x86_64")),
            List.of(), false));
    var inventory = new HostInventory("hce", "2.0", "HCE 2.0", "5.10.0-1.hce2.x86_64", NOW.minusSeconds(3600), installed,
        Set.of(), advisories, false, 60L);
    HostCompliance compliance = new ComplianceEngine().evaluate(inventory, baseline, NOW, failedAdvisories);
    reports.replace(host.id(), baseline.id(), null, "SCAN", NOW, inventory, compliance);
    return compliance;
  }

  /**
   * The summary reads kept counts; the history's snapshots group the reports themselves. Through
   * first scans, rescans that change status, tag changes (a key with '_', which LIKE would read as
   * any character, beside one that it would match), OS family changes, deletions and hosts never
   * scanned, before and after the changes are folded and after a rebuild, the two agree for every
   * grouping.
   */
  @Test
  void theKeptSummaryAgreesWithTheReportsThroughScansTagAndOsChangesAndDeletions() {
    java.util.Random random = new java.util.Random(20);
    List<Host> fleet = new java.util.ArrayList<>();
    OsFamily[] families = {OsFamily.HCE, OsFamily.CENTOS, OsFamily.EULEROS};
    for (int i = 0; i < 16; i++) {
      fleet.add(host("k" + i, families[i % 3], randomTags(random)));
    }
    String[] releases = {"15.hce2", "21.hce2"};
    for (int round = 0; round < 6; round++) {
      for (Host h : fleet) {
        if (random.nextInt(4) != 0) {
          scan(h, releases[random.nextInt(2)], random.nextInt(3) == 0 ? Set.of(SECURITY) : Set.of());
        }
      }
      assertSameAsReports("scans, round " + round);
      Host moved = fleet.get(random.nextInt(fleet.size()));
      Host now = hosts.get(moved.id());
      hosts.update(moved.id(), new HostSpec(now.name(), "10.0.0.1", null, null, "/keys/id_ed25519", null,
          families[random.nextInt(3)], null, randomTags(random)));
      assertSameAsReports("tags and OS of " + now.name() + " changed, round " + round);
      if (round % 2 == 1) {
        counts.fold();
        assertSameAsReports("folded, round " + round);
      }
    }
    hosts.delete(fleet.remove(3).id());
    hosts.delete(fleet.remove(7).id());
    assertSameAsReports("two hosts deleted");
    counts.rebuild();
    assertSameAsReports("rebuilt");
  }

  static Map<String, String> randomTags(java.util.Random random) {
    Map<String, String> tags = new java.util.TreeMap<>();
    if (random.nextInt(4) != 0) {
      tags.put("zone", "az" + random.nextInt(3));
    }
    if (random.nextBoolean()) {
      tags.put("app_x", random.nextBoolean() ? "shop" : "crm");
    }
    if (random.nextBoolean()) {
      tags.put("appYx", "other"); // matches "app_x=%" if the '_' were not escaped
    }
    return tags;
  }

  void assertSameAsReports(String when) {
    for (String groupBy : new String[] {null, "os", "tag:zone", "tag:app_x", "tag:appYx", "tag:absent"}) {
      assertThat(summaries.summary(groupBy)).as("%s, groupBy=%s", when, groupBy).isEqualTo(fromReports(groupBy));
    }
  }

  /** The summary as the reports themselves give it: the history's grouping, not split by baseline. */
  ComplianceSummary fromReports(String groupBy) {
    ComplianceSummaryStore.Grouping g = ComplianceSummaryStore.grouping(groupBy);
    ComplianceSummaryStore.Counts overall = new ComplianceSummaryStore.Counts();
    Map<String, ComplianceSummaryStore.Counts> groups = new java.util.TreeMap<>(ComplianceSummaryStore::groupOrder);
    summaries.aggregate(g, false).forEach((cell, c) -> {
      overall.add(c);
      if (groupBy != null) {
        groups.computeIfAbsent(cell.group(), k -> new ComplianceSummaryStore.Counts()).add(c);
      }
    });
    Map<String, Totals> byGroup = new LinkedHashMap<>();
    groups.forEach((k, v) -> byGroup.put(k, v.totals()));
    return new ComplianceSummary(overall.totals(), byGroup);
  }

  /** Review M1: a report of a host with an over-long OS name and kernel release is written, the two cut to their columns. */
  @Test
  void aHostsOverLongOsNameAndKernelAreCutToTheirColumnsNotRefused() {
    Host host = host("long", OsFamily.HCE, Map.of());
    String name = "Custom Enterprise Linux ".repeat(10);
    String kernel = "5.10.0-" + "x".repeat(200);
    var inventory = new HostInventory("hce", "2.0", name, kernel, NOW.minusSeconds(3600), List.of(), Set.of(), List.of(),
        false, 60L);
    HostCompliance compliance = new ComplianceEngine().evaluate(inventory, baseline, NOW, Set.of());
    reports.replace(host.id(), baseline.id(), null, "SCAN", NOW, inventory, compliance);
    HostReport report = reports.newest(host.id()).orElseThrow();
    assertThat(report.osRelease()).hasSize(128).startsWith("Custom Enterprise Linux").endsWith("…");
    assertThat(report.runningKernel()).hasSize(128).startsWith("5.10.0-x");
  }

  /** a: missing (HCE, az1); b: compliant (HCE, az2); c: repair failed (CENTOS, az1); d: EULEROS, no zone, never scanned; e: HCE, az1, never scanned. */
  void fleet() {
    assertThat(scan(host("a", OsFamily.HCE, Map.of("zone", "az1", "app", "shop")), "15.hce2", Set.of()).status())
        .isEqualTo(ComplianceStatus.NON_COMPLIANT);
    assertThat(scan(host("b", OsFamily.HCE, Map.of("zone", "az2")), "21.hce2", Set.of()).status())
        .isEqualTo(ComplianceStatus.COMPLIANT);
    HostCompliance c = scan(host("c", OsFamily.CENTOS, Map.of("zone", "az1")), "15.hce2", Set.of(SECURITY));
    assertThat(c.countsByState().get(PatchState.FAILED)).isEqualTo(1);
    host("d", OsFamily.EULEROS, Map.of("app", "crm"));
    host("e", OsFamily.HCE, Map.of("zone", "az1"));
  }

  /** Ten hosts' first reports written at once, as a ticket's concurrent scans write them, all land. */
  @Test
  void firstReportsOfManyHostsAtOnceAllLandAndRememberWhatTheyReplaced() throws Exception {
    var pool = java.util.concurrent.Executors.newFixedThreadPool(10);
    List<Host> many = new java.util.ArrayList<>();
    for (int round = 0; round < 5; round++) {
      jdbc.sql("DELETE FROM hosts").update();
      many.clear();
      for (int i = 0; i < 10; i++) {
        many.add(host("h" + i, OsFamily.HCE, Map.of()));
      }
      var go = new java.util.concurrent.CountDownLatch(1);
      List<java.util.concurrent.Future<HostCompliance>> writes = new java.util.ArrayList<>();
      for (Host h : many) {
        writes.add(pool.submit(() -> {
          go.await();
          return scan(h, "15.hce2", Set.of());
        }));
      }
      go.countDown();
      for (var w : writes) {
        assertThat(w.get(30, java.util.concurrent.TimeUnit.SECONDS).status())
            .isEqualTo(ComplianceStatus.NON_COMPLIANT);
      }
    }
    pool.shutdown();
    assertThat(jdbc.sql("SELECT COUNT(*) FROM compliance_reports WHERE previous_status IS NULL").query(Long.class)
        .single()).isEqualTo(10);
    scan(many.get(0), "21.hce2", Set.of());
    assertThat(jdbc.sql("SELECT previous_status FROM compliance_reports WHERE host_id = ?").param(many.get(0).id())
        .query(String.class).single()).as("a report remembers the status it replaced").isEqualTo("NON_COMPLIANT");
  }

  @Test
  void anEmptyFleetHasZeroesEverywhere() {
    ComplianceSummary s = summaries.summary(null);
    assertThat(s.groups()).isEmpty();
    assertHosts(s.overall(), 0, 0, 0, 0);
    assertComplete(s.overall());
    assertThat(s.overall().patchesByState().values()).containsOnly(0L);
    assertThat(summaries.summary("os").groups()).isEmpty();
    assertThat(summaries.summary("tag:zone").groups()).isEmpty();
  }

  @Test
  void overallCountsHostsByStatusAndPatchesByStateAndLevel() {
    fleet();
    ComplianceSummary s = summaries.summary(null);
    assertThat(s.groups()).isEmpty();
    Totals all = s.overall();
    assertHosts(all, 5, 1, 2, 2);
    assertComplete(all);
    assertThat(all.patchesByState()).isEqualTo(states(1, 3, 0, 0, 1, 1));
    assertThat(all.patchesByLevel().get("HIGH")).isEqualTo(states(1, 0, 0, 0, 1, 1));
    // INSTALLED_OTHER has no level: not counted by level
    for (ComplianceLevel level : ComplianceLevel.values()) {
      if (level != ComplianceLevel.HIGH) {
        assertThat(all.patchesByLevel().get(level.name()).values()).as(level.name()).containsOnly(0L);
      }
    }
    assertThat(summaries.summary(" ")).isEqualTo(s);
  }

  @Test
  void groupsByOsFamily() {
    fleet();
    ComplianceSummary s = summaries.summary("os");
    assertThat(s.groups().keySet()).containsExactly("CENTOS", "EULEROS", "HCE");
    Totals hce = s.groups().get("HCE");
    assertHosts(hce, 3, 1, 1, 1);
    assertThat(hce.patchesByState()).isEqualTo(states(1, 2, 0, 0, 1, 0));
    assertThat(hce.patchesByLevel().get("HIGH")).isEqualTo(states(1, 0, 0, 0, 1, 0));
    Totals centos = s.groups().get("CENTOS");
    assertHosts(centos, 1, 0, 1, 0);
    assertThat(centos.patchesByState()).isEqualTo(states(0, 1, 0, 0, 0, 1));
    Totals euler = s.groups().get("EULEROS");
    assertHosts(euler, 1, 0, 0, 1);
    assertThat(euler.patchesByState().values()).containsOnly(0L);
    s.groups().values().forEach(ComplianceSummaryStoreTest::assertComplete);
    assertThat(s.overall()).isEqualTo(summaries.summary(null).overall());
    assertSumsUp(s);
  }

  @Test
  void groupsByATagWithHostsWithoutItLast() {
    fleet();
    ComplianceSummary s = summaries.summary("tag:zone");
    assertThat(s.groups().keySet()).containsExactly("az1", "az2", ComplianceSummary.NO_TAG);
    Totals az1 = s.groups().get("az1");
    assertHosts(az1, 3, 0, 2, 1);
    assertThat(az1.patchesByState()).isEqualTo(states(0, 2, 0, 0, 1, 1));
    assertThat(az1.patchesByLevel().get("HIGH")).isEqualTo(states(0, 0, 0, 0, 1, 1));
    Totals az2 = s.groups().get("az2");
    assertHosts(az2, 1, 1, 0, 0);
    assertThat(az2.patchesByState()).isEqualTo(states(1, 1, 0, 0, 0, 0));
    assertHosts(s.groups().get(ComplianceSummary.NO_TAG), 1, 0, 0, 1);
    s.groups().values().forEach(ComplianceSummaryStoreTest::assertComplete);
    assertThat(s.overall()).isEqualTo(summaries.summary(null).overall());
    assertSumsUp(s);

    ComplianceSummary byApp = summaries.summary("tag:app");
    assertThat(byApp.groups().keySet()).containsExactly("crm", "shop", ComplianceSummary.NO_TAG);
    assertHosts(byApp.groups().get(ComplianceSummary.NO_TAG), 3, 1, 1, 1);

    // a tag no host has: everyone is in "(none)"
    ComplianceSummary byRack = summaries.summary("tag:rack/row.1");
    assertThat(byRack.groups().keySet()).containsExactly(ComplianceSummary.NO_TAG);
    assertThat(byRack.groups().get(ComplianceSummary.NO_TAG)).isEqualTo(byRack.overall());
  }

  @Test
  void refusesAnUnknownGrouping() {
    for (String bad : List.of("OS", "scenario", "tag:", "tag:-zone", "tag:zone name", "tag:" + "k".repeat(65),
        "tag:zone'; DROP TABLE hosts; --", "tags:zone")) {
      assertThatThrownBy(() -> summaries.summary(bad)).as(bad)
          .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.problems())
              .extracting(FieldProblem::field).containsExactly("groupBy"));
    }
    assertThat(summaries.summary("tag:" + "k".repeat(64)).overall().hosts()).isZero();
  }

  static void assertHosts(Totals t, long hosts, long compliant, long nonCompliant, long unknown) {
    assertThat(List.of(t.hosts(), t.compliant(), t.nonCompliant(), t.unknown()))
        .containsExactly(hosts, compliant, nonCompliant, unknown);
  }

  /** Every state, and every level with every state, in declaration order. */
  static void assertComplete(Totals t) {
    List<String> states = Arrays.stream(PatchState.values()).map(Enum::name).toList();
    assertThat(t.patchesByState().keySet()).containsExactlyElementsOf(states);
    assertThat(t.patchesByLevel().keySet())
        .containsExactlyElementsOf(Arrays.stream(ComplianceLevel.values()).map(Enum::name).toList());
    t.patchesByLevel().values().forEach(m -> assertThat(m.keySet()).containsExactlyElementsOf(states));
  }

  /** The groups split the fleet: their totals add up to the overall ones. */
  static void assertSumsUp(ComplianceSummary s) {
    long hosts = 0;
    long compliant = 0;
    long nonCompliant = 0;
    long unknown = 0;
    Map<String, Long> byState = new LinkedHashMap<>();
    for (Totals t : s.groups().values()) {
      hosts += t.hosts();
      compliant += t.compliant();
      nonCompliant += t.nonCompliant();
      unknown += t.unknown();
      t.patchesByState().forEach((k, v) -> byState.merge(k, v, Long::sum));
    }
    assertHosts(s.overall(), hosts, compliant, nonCompliant, unknown);
    assertThat(s.overall().patchesByState()).isEqualTo(byState);
  }

  /** Counts in PatchState order: INSTALLED, INSTALLED_OTHER, INSTALLED_PENDING_REBOOT, INSTALLED_REJECTED, MISSING, FAILED. */
  static Map<String, Long> states(long... counts) {
    Map<String, Long> m = new LinkedHashMap<>();
    PatchState[] states = PatchState.values();
    for (int i = 0; i < states.length; i++) {
      m.put(states[i].name(), counts[i]);
    }
    return m;
  }
}
