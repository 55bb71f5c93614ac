package io.patchloop.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.patchloop.baselines.Baseline;
import io.patchloop.baselines.BaselineStore;
import io.patchloop.baselines.PatchCategory;
import io.patchloop.baselines.PatchSeverity;
import io.patchloop.common.OsFamily;
import io.patchloop.common.PageRequest;
import io.patchloop.compliance.ComplianceEngine;
import io.patchloop.compliance.HostCompliance;
import io.patchloop.compliance.PatchState;
import io.patchloop.hosts.Host;
import io.patchloop.hosts.HostSpec;
import io.patchloop.hosts.HostStore;
import io.patchloop.inventory.Advisory;
import io.patchloop.inventory.AdvisoryPackage;
import io.patchloop.inventory.HostInventory;
import io.patchloop.inventory.InstalledPackage;
import io.patchloop.reports.HostReport;
import io.patchloop.reports.ReportStore;
import io.patchloop.rpm.Evr;
import io.patchloop.store.StoreTestApplication;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The CVE and advisory views against the per-host reports they summarise: after every kind of
 * report change (first scans, rescans, repairs that fail, an advisory's CVE list changing, a host
 * deleted, reports written concurrently), before and after the changes are folded and after a
 * rebuild, every subject's host count per state equals the count of hosts whose report lists it in
 * that state (for a CVE: each host once, in its least compliant state among the patches listing it).
 */
@SpringBootTest(classes = StoreTestApplication.class, properties = "patchloop.fleet.tag-filter-timeout=2s")
class FleetCountsTest {

  @DynamicPropertySource
  static void database(DynamicPropertyRegistry registry) {
    StoreTestApplication.database(registry, "fleetcounts");
  }

  static final Instant NOW = Instant.parse("2026-11-27T00:00:00Z");
  static final List<String> PACKAGES = List.of("openssl", "curl", "kernel", "glibc", "sudo", "nginx");

  @Autowired FleetCounts counts;
  @Autowired FleetViewStore views;
  @Autowired HostStore hosts;
  @Autowired ReportStore reports;
  @Autowired BaselineStore baselines;
  @Autowired JdbcClient jdbc;
  @Autowired javax.sql.DataSource dataSource;

  Baseline baseline;

  @BeforeEach
  void empty() {
    jdbc.sql("DELETE FROM hosts").update();
    counts.rebuild();
    baseline = baselines.list(OsFamily.HCE).stream().filter(b -> b.name().equals("HCE-default")).findFirst().orElseThrow();
  }

  /**
   * One advisory per package; CVE-2026-1000 is fixed by both the openssl and the curl advisory, so a
   * host with one installed and the other missing counts once, as MISSING. The kernel advisory asks
   * for a reboot (INSTALLED_PENDING_REBOOT when installed after boot); nginx's is a bug fix, outside
   * the baseline (INSTALLED_OTHER).
   */
  List<Advisory> advisories(boolean curlNamesASecondCve) {
    List<Advisory> list = new ArrayList<>();
    for (int i = 0; i < PACKAGES.size(); i++) {
      String pkg = PACKAGES.get(i);
      boolean bugfix = pkg.equals("nginx");
      List<String> cves = switch (pkg) {
        case "openssl" -> List.of("CVE-2026-1000", "CVE-2026-1001");
        case "curl" -> curlNamesASecondCve ? List.of("CVE-2026-1000", "CVE-2026-1009") : List.of("CVE-2026-1000");
        case "nginx" -> List.of();
        default -> List.of("CVE-2026-10" + (10 + i));
      };
      list.add(new Advisory("HCE2-SA-2026-00" + (10 + i), pkg, bugfix ? "bugfix" : "security",
          bugfix ? PatchCategory.BUGFIX : PatchCategory.SECURITY, i % 2 == 0 ? PatchSeverity.CRITICAL : PatchSeverity.IMPORTANT,
          NOW.minusSeconds(30 * 86400), List.of(new AdvisoryPackage(pkg, Evr.parse("0:2.0-1.hce2"), "x86_64")), cves,
          pkg.equals("kernel")));
    }
    return list;
  }

  /** A scan of the host where each package is at the fixed version, at an older one, or absent, as the random draws. */
  void scan(Host host, Random random, boolean curlNamesASecondCve) {
    List<InstalledPackage> installed = new ArrayList<>();
    for (String pkg : PACKAGES) {
      switch (random.nextInt(3)) {
        case 0 -> installed.add(new InstalledPackage(pkg, Evr.parse("0:2.0-1.hce2"), "x86_64", NOW.minusSeconds(60)));
        case 1 -> installed.add(new InstalledPackage(pkg, Evr.parse("0:1.0-1.hce2"), "x86_64", NOW.minusSeconds(7200)));
        default -> { }
      }
    }
    List<Advisory> advisories = advisories(curlNamesASecondCve);
    Set<String> failed = new HashSet<>();
    advisories.forEach(a -> {
      if (random.nextInt(4) == 0) {
        failed.add(a.id());
      }
    });
    var inventory = new HostInventory("hce", "2.0", "HCE 2.0", "5.10.0", NOW.minusSeconds(3600), installed, Set.of(),
        advisories, false, 60L);
    HostCompliance compliance = new ComplianceEngine().evaluate(inventory, baseline, NOW, failed);
    reports.replace(host.id(), baseline.id(), null, "SCAN", NOW, inventory, compliance);
  }

  Host host(int i) {
    OsFamily os = i % 3 == 0 ? OsFamily.CENTOS : OsFamily.HCE;
    return hosts.create(new HostSpec("h" + i, "10.0.0." + (i + 1), null, null, "/keys/id_ed25519", null, os, null,
        Map.of("zone", i % 2 == 0 ? "az1" : "az2")));
  }

  @Test
  void everyViewCountsWhatTheReportsSayThroughRescansRepairsDeletionsAndMetadataChanges() {
    Random random = new Random(19);
    List<Host> fleet = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      Host h = host(i);
      fleet.add(h);
      if (i != 11) {
        scan(h, random, false); // h11 is never scanned: in no count
      }
    }
    assertViewsMatchReports("first scans");

    for (int round = 0; round < 3; round++) {
      for (Host h : fleet.subList(0, 6)) {
        scan(h, random, round == 2); // the last round's curl advisory names a second CVE
      }
      assertViewsMatchReports("rescans, round " + round);
      if (round == 1) {
        assertThat(counts.fold()).isPositive();
        assertViewsMatchReports("folded after round " + round);
      }
    }
    hosts.delete(fleet.get(0).id());
    hosts.delete(fleet.get(11).id());
    assertViewsMatchReports("two hosts deleted, one never scanned");
    // CVE-2026-1009 came only from the newest scans' curl advisory
    assertThat(views.advisoriesOfCve("CVE-2026-1009")).containsExactly("HCE2-SA-2026-0011");
    counts.fold();
    assertViewsMatchReports("folded");
    assertThat(jdbc.sql("SELECT COUNT(*) FROM fleet_count_changes").query(Long.class).single()).isZero();
    counts.rebuild();
    assertViewsMatchReports("rebuilt");
  }

  @Test
  void aRescanThatFindsTheHostAsItWasChangesNoCount() {
    Host h = host(1);
    scan(h, new Random(7), false);
    counts.fold();
    scan(h, new Random(7), false);
    assertThat(jdbc.sql("SELECT COUNT(*) FROM fleet_count_changes").query(Long.class).single()).isZero();
  }

  @Test
  void reportsWrittenConcurrentlyWhileFoldingAreAllCounted() throws Exception {
    List<Host> fleet = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      fleet.add(host(i));
    }
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Callable<Void>> work = new ArrayList<>();
      for (int i = 0; i < fleet.size(); i++) {
        Host h = fleet.get(i);
        long seed = i;
        work.add(() -> {
          Random random = new Random(seed);
          for (int round = 0; round < 4; round++) {
            scan(h, random, round % 2 == 1);
          }
          return null;
        });
      }
      work.add(() -> {
        for (int i = 0; i < 20; i++) {
          counts.fold();
          Thread.sleep(20);
        }
        return null;
      });
      for (Future<Void> f : pool.invokeAll(work)) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    assertViewsMatchReports("after concurrent writes and folds");
    counts.fold();
    assertViewsMatchReports("folded");
  }

  @Test
  void aRebuildAskedForByTheMigrationCountsReportsWrittenBeforeTheCountsExisted() {
    Random random = new Random(3);
    for (int i = 0; i < 5; i++) {
      scan(host(i), random, false);
    }
    // as after an upgrade: reports there, no counts yet, and the migration's flag set
    jdbc.sql("DELETE FROM fleet_host_counts").update();
    jdbc.sql("DELETE FROM fleet_count_changes").update();
    jdbc.sql("UPDATE fleet_count_locks SET rebuild_needed = TRUE WHERE id = 1").update();
    assertThat(views.allCves(FleetViewQuery.all())).isEmpty();
    counts.rebuildIfNeeded();
    assertViewsMatchReports("rebuilt on start");
    assertThat(jdbc.sql("SELECT rebuild_needed FROM fleet_count_locks WHERE id = 1").query(Boolean.class).single()).isFalse();
  }

  /**
   * A tag filter counts report rows, within patchloop.fleet.tag-filter-timeout: here the rows are
   * held by another session's table lock, so the count outlasts the 2 s limit and is refused as a
   * 400 on {@code tag} that says what to do instead; without a tag, the kept counts still answer.
   */
  @Test
  @org.junit.jupiter.api.Timeout(value = 60, threadMode = org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD)
  void aTagFilterThatOutlastsItsDeadlineIsRefusedWithTheReason() throws Exception {
    scan(host(1), new Random(5), false);
    var taggedQuery = new FleetViewQuery(null, null, null, null, null, Map.of("zone", "az2"));
    assertThat(views.allAdvisories(taggedQuery)).isNotEmpty();
    try (java.sql.Connection other = dataSource.getConnection(); var statement = other.createStatement()) {
      statement.execute("LOCK TABLES report_patches WRITE");
      try {
        long started = System.nanoTime();
        assertThatThrownBy(() -> views.allCves(taggedQuery))
            .isInstanceOfSatisfying(io.patchloop.common.InvalidInputException.class,
                e -> assertThat(e.problems()).singleElement().satisfies(p -> {
                  assertThat(p.field()).isEqualTo("tag");
                  assertThat(p.reason()).contains("longer than 2 s", "osFamily");
                }));
        assertThat((System.nanoTime() - started) / 1_000_000).as("ms waited").isBetween(1_500L, 15_000L);
        assertThat(views.allAdvisories(FleetViewQuery.all())).as("the kept counts need no report row").isNotEmpty();
      } finally {
        statement.execute("UNLOCK TABLES");
      }
    }
    assertThat(views.allCves(taggedQuery)).isNotEmpty();
  }

  /** Compares every CVE and advisory count, overall, by OS and by tag, with a count made here from each host's report. */
  void assertViewsMatchReports(String when) {
    List<Host> all = hosts.list(new io.patchloop.hosts.HostQuery(Map.of(), null, null, null), PageRequest.of(0, 500)).items();
    Map<Long, HostReport> byHost = new TreeMap<>();
    all.forEach(h -> reports.newest(h.id()).ifPresent(r -> byHost.put(h.id(), r)));
    Map<Long, Host> hostById = new TreeMap<>();
    all.forEach(h -> hostById.put(h.id(), h));
    assertThat(byHost).as(when).isNotEmpty();

    record Case(FleetViewQuery query, Predicate<Host> selects) {}
    List<Case> cases = List.of(
        new Case(FleetViewQuery.all(), h -> true),
        new Case(new FleetViewQuery(null, null, null, null, OsFamily.CENTOS, null), h -> h.osFamily() == OsFamily.CENTOS),
        new Case(new FleetViewQuery(null, null, null, null, null, Map.of("zone", "az1")), h -> "az1".equals(h.tags().get("zone"))),
        new Case(new FleetViewQuery(null, null, null, null, OsFamily.HCE, Map.of("zone", "az2")),
            h -> h.osFamily() == OsFamily.HCE && "az2".equals(h.tags().get("zone"))));
    for (Case c : cases) {
      Map<String, Map<PatchState, Long>> expectedCves = new TreeMap<>();
      Map<String, Map<PatchState, Long>> expectedAdvisories = new TreeMap<>();
      byHost.forEach((hostId, report) -> {
        if (!c.selects().test(hostById.get(hostId))) {
          return;
        }
        Map<String, PatchState> worst = new TreeMap<>();
        for (HostReport.Patch p : report.patches()) {
          expectedAdvisories.computeIfAbsent(p.advisoryId(), k -> new TreeMap<>()).merge(p.state(), 1L, Long::sum);
          p.cves().forEach(cve -> worst.merge(cve, p.state(), (a, b) -> a.ordinal() >= b.ordinal() ? a : b));
        }
        worst.forEach((cve, s) -> expectedCves.computeIfAbsent(cve, k -> new TreeMap<>()).merge(s, 1L, Long::sum));
      });
      Map<String, Map<PatchState, Long>> actualCves = new TreeMap<>();
      views.allCves(c.query()).forEach(v -> actualCves.put(v.cve(), nonZero(v.hostsByState())));
      Map<String, Map<PatchState, Long>> actualAdvisories = new TreeMap<>();
      views.allAdvisories(c.query()).forEach(v -> actualAdvisories.put(v.advisoryId(), nonZero(v.hostsByState())));
      assertThat(actualCves).as(when + ", CVEs, " + c.query()).isEqualTo(expectedCves);
      assertThat(actualAdvisories).as(when + ", advisories, " + c.query()).isEqualTo(expectedAdvisories);
      // one CVE's page lists a row per host patch that names it, in the state its report gives
      expectedCves.keySet().stream().findFirst().ifPresent(cve -> {
        var detail = views.cve(cve, c.query(), PageRequest.of(0, 500));
        long expectedRows = byHost.entrySet().stream().filter(e -> c.selects().test(hostById.get(e.getKey())))
            .flatMap(e -> e.getValue().patches().stream()).filter(p -> p.cves().contains(cve)).count();
        assertThat(detail.hosts().total()).as(when + ", rows of " + cve).isEqualTo(expectedRows);
        detail.hosts().items().forEach(row -> assertThat(byHost.get(row.hostId()).patches())
            .anyMatch(p -> p.advisoryId().equals(row.advisoryId()) && p.state() == row.state()));
        // the rows themselves, in host then advisory order, a small page at a time, in one state too
        // (the total comes from the kept counts without a tag filter, from the rows with one)
        for (PatchState state : java.util.Arrays.asList(null, PatchState.MISSING, PatchState.INSTALLED)) {
          List<String> expected = byHost.entrySet().stream().filter(e -> c.selects().test(hostById.get(e.getKey())))
              .flatMap(e -> e.getValue().patches().stream()
                  .filter(p -> p.cves().contains(cve) && (state == null || p.state() == state))
                  .map(p -> e.getKey() + " " + p.advisoryId()))
              .toList();
          List<String> paged = new ArrayList<>();
          for (int page = 0; page * 3 < Math.max(expected.size(), 1); page++) {
            var part = views.cve(cve, c.query().withState(state), PageRequest.of(page, 3)).hosts();
            assertThat(part.total()).as(when + ", rows of " + cve + " in " + state + ", " + c.query()).isEqualTo(expected.size());
            part.items().forEach(row -> paged.add(row.hostId() + " " + row.advisoryId()));
          }
          assertThat(paged).as(when + ", pages of " + cve + " in " + state + ", " + c.query()).isEqualTo(expected);
        }
      });
      expectedAdvisories.forEach((advisory, byState) -> {
        assertThat(views.advisory(advisory, c.query(), PageRequest.of(0, 1)).hosts().total())
            .as(when + ", rows of " + advisory + ", " + c.query()).isEqualTo(byState.values().stream().mapToLong(n -> n).sum());
        assertThat(views.advisory(advisory, c.query().withState(PatchState.MISSING), PageRequest.of(0, 1)).hosts().total())
            .as(when + ", MISSING rows of " + advisory + ", " + c.query()).isEqualTo(byState.getOrDefault(PatchState.MISSING, 0L));
      });
    }
    // the list is ordered by affected hosts
    List<Long> affected = views.allCves(FleetViewQuery.all()).stream().map(FleetViewStore.CveSummary::affectedHosts).toList();
    assertThat(affected).as(when).isSortedAccordingTo(java.util.Comparator.reverseOrder());
  }

  static Map<PatchState, Long> nonZero(Map<PatchState, Long> byState) {
    Map<PatchState, Long> m = new TreeMap<>();
    byState.forEach((s, n) -> {
      if (n != 0) {
        m.put(s, n);
      }
    });
    return m;
  }
}
