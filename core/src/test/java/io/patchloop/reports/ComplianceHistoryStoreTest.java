package io.patchloop.reports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.patchloop.baselines.Baseline;
import io.patchloop.baselines.BaselineStore;
import io.patchloop.baselines.PatchCategory;
import io.patchloop.baselines.PatchSeverity;
import io.patchloop.common.FieldProblem;
import io.patchloop.common.InvalidInputException;
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
import io.patchloop.reports.ComplianceSummary.Totals;
import io.patchloop.rpm.Evr;
import io.patchloop.store.StoreTestApplication;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Compliance over time on the real test database: snapshots of the newest reports, per baseline and group. */
@SpringBootTest(classes = StoreTestApplication.class)
class ComplianceHistoryStoreTest {

  @DynamicPropertySource
  static void database(DynamicPropertyRegistry registry) {
    StoreTestApplication.database(registry, "compliancehistory");
  }

  static final Instant NOW = Instant.parse("2026-11-27T00:00:00Z");
  static final LocalDate DAY1 = LocalDate.parse("2026-11-27");
  static final LocalDate DAY2 = DAY1.plusDays(1);
  static final String SECURITY = "HCE2-SA-2026-0001";
  static final List<String> TAG_KEYS = List.of("zone", "app");

  @Autowired ComplianceHistoryStore history;
  @Autowired ComplianceSummaryStore summaries;
  @Autowired HostStore hosts;
  @Autowired ReportStore reports;
  @Autowired BaselineStore baselines;
  @Autowired JdbcClient jdbc;
  @Autowired io.patchloop.fleet.FleetCounts counts;

  Baseline hceDefault;
  Baseline centosDefault;
  long eulerDefault;

  @BeforeEach
  void empty() {
    jdbc.sql("DELETE FROM hosts").update();
    counts.rebuild(); // the rows went without HostStore.delete: the summary's kept counts start again from none
    jdbc.sql("DELETE FROM compliance_history").update();
    hceDefault = builtIn(OsFamily.HCE, "HCE-default");
    centosDefault = builtIn(OsFamily.CENTOS, "CentOS-default");
    eulerDefault = builtIn(OsFamily.EULEROS, "EulerOS-default").id();
  }

  Baseline builtIn(OsFamily os, String name) {
    return baselines.list(os).stream().filter(b -> b.name().equals(name)).findFirst().orElseThrow();
  }

  Host host(String name, OsFamily os, Map<String, String> tags) {
    return hosts.create(new HostSpec(name, "10.0.0.1", null, null, "/keys/id_ed25519", null, os, null, tags));
  }

  /** As ComplianceSummaryStoreTest: openssl at {@code opensslRelease} against a Critical advisory fixed in 21.hce2. */
  void scan(Host host, Baseline baseline, String opensslRelease, Set<String> failedAdvisories) {
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
  }

  /**
   * a: missing (HCE, az1, shop; HCE-default); b: compliant (HCE, az2; HCE-default); c: repair failed
   * (CENTOS, az1; CentOS-default); d: EULEROS, app crm, never scanned; e: HCE, az1, never scanned.
   */
  Map<String, Host> fleet() {
    Map<String, Host> fleet = new LinkedHashMap<>();
    fleet.put("a", host("a", OsFamily.HCE, Map.of("zone", "az1", "app", "shop")));
    fleet.put("b", host("b", OsFamily.HCE, Map.of("zone", "az2")));
    fleet.put("c", host("c", OsFamily.CENTOS, Map.of("zone", "az1")));
    fleet.put("d", host("d", OsFamily.EULEROS, Map.of("app", "crm")));
    fleet.put("e", host("e", OsFamily.HCE, Map.of("zone", "az1")));
    scan(fleet.get("a"), hceDefault, "15.hce2", Set.of());
    scan(fleet.get("b"), hceDefault, "21.hce2", Set.of());
    scan(fleet.get("c"), centosDefault, "15.hce2", Set.of(SECURITY));
    return fleet;
  }

  @Test
  void aSnapshotIsWhatTheReportsThenCurrentSayPerBaseline() {
    fleet();
    List<ComplianceHistoryPoint> written = history.snapshot(DAY1, NOW, TAG_KEYS);

    List<ComplianceHistoryPoint> all = history.series(DAY1, DAY1, null, null);
    assertThat(all).extracting(ComplianceHistoryPoint::baselineName)
        .containsExactly("HCE-default", "CentOS-default", "EulerOS-default");
    assertThat(all).allSatisfy(p -> assertThat(p.group()).isNull());
    Map<String, ComplianceHistoryPoint> byBaseline = all.stream()
        .collect(Collectors.toMap(ComplianceHistoryPoint::baselineName, Function.identity()));
    assertCounts(byBaseline.get("HCE-default"), 3, 1, 1, 1); // a, b, and e never scanned under its OS default
    assertCounts(byBaseline.get("CentOS-default"), 1, 0, 1, 0);
    assertCounts(byBaseline.get("EulerOS-default"), 1, 0, 0, 1);
    assertThat(byBaseline.get("CentOS-default").byState()).isEqualTo(ComplianceSummaryStoreTest.states(0, 1, 0, 0, 0, 1));
    assertThat(written.stream().filter(p -> p.group() == null).toList()).isEqualTo(all);

    // reproducible from the reports then current: the baselines' points add up to the summary of the moment,
    // overall and in every group (az1 has hosts of two baselines)
    assertSameAs(all, summaries.summary(null).overall());
    ComplianceSummary byOs = summaries.summary("os");
    List<ComplianceHistoryPoint> osSeries = history.series(DAY1, DAY1, null, "os");
    assertThat(osSeries.stream().map(ComplianceHistoryPoint::group).distinct()).containsExactlyInAnyOrderElementsOf(
        byOs.groups().keySet());
    byOs.groups().forEach((os, totals) -> assertSameAs(inGroup(osSeries, os), totals));
    for (String key : TAG_KEYS) {
      ComplianceSummary byTag = summaries.summary("tag:" + key);
      List<ComplianceHistoryPoint> tagSeries = history.series(DAY1, DAY1, null, "tag:" + key);
      assertThat(tagSeries.stream().map(ComplianceHistoryPoint::group).distinct())
          .containsExactlyInAnyOrderElementsOf(byTag.groups().keySet());
      byTag.groups().forEach((value, totals) -> assertSameAs(inGroup(tagSeries, value), totals));
    }
    // within a day and baseline, groups in the summary's order: hosts without the tag last
    assertThat(history.series(DAY1, DAY1, hceDefault.id(), "tag:zone")).extracting(ComplianceHistoryPoint::group)
        .containsExactly("az1", "az2");
    assertThat(history.series(DAY1, DAY1, eulerDefault, "tag:zone")).extracting(ComplianceHistoryPoint::group)
        .containsExactly(ComplianceSummary.NO_TAG);
    assertThat(history.series(DAY1, DAY1, hceDefault.id(), "tag:app")).extracting(ComplianceHistoryPoint::group)
        .containsExactly("shop", ComplianceSummary.NO_TAG);
    // a tag key not configured for the snapshot has no series
    assertThat(history.series(DAY1, DAY1, null, "tag:rack")).isEmpty();
  }

  @Test
  void aLaterChangeLeavesTheOldSnapshotAloneAndShowsInTheNextDays() {
    Map<String, Host> fleet = fleet();
    history.snapshot(DAY1, NOW, TAG_KEYS);
    List<ComplianceHistoryPoint> day1 = history.series(DAY1, DAY1, null, "os");

    scan(fleet.get("a"), hceDefault, "21.hce2", Set.of()); // patched: compliant now
    scan(fleet.get("e"), hceDefault, "15.hce2", Set.of()); // scanned for the first time: missing
    scan(fleet.get("c"), hceDefault, "21.hce2", Set.of()); // scanned against another baseline: moves there
    history.snapshot(DAY2, NOW.plusSeconds(86400), TAG_KEYS);

    assertThat(history.series(DAY1, DAY1, null, "os")).isEqualTo(day1);
    List<ComplianceHistoryPoint> both = history.series(DAY1, DAY2, hceDefault.id(), null);
    assertThat(both).extracting(ComplianceHistoryPoint::day).containsExactly(DAY1, DAY2);
    assertCounts(both.get(0), 3, 1, 1, 1);
    assertCounts(both.get(1), 4, 3, 1, 0);
    assertThat(history.series(DAY2, DAY2, centosDefault.id(), null)).as("no host left under it").isEmpty();
    assertSameAs(history.series(DAY2, DAY2, null, null), summaries.summary(null).overall());
  }

  @Test
  void takingTheSameDayAgainReplacesItsRows() {
    Map<String, Host> fleet = fleet();
    history.snapshot(DAY1, NOW, TAG_KEYS);
    scan(fleet.get("a"), hceDefault, "21.hce2", Set.of());
    history.snapshot(DAY1, NOW.plusSeconds(60), List.of());

    assertCounts(only(history.series(DAY1, DAY1, hceDefault.id(), null), null), 3, 2, 0, 1);
    assertThat(history.series(DAY1, DAY1, null, "tag:zone")).as("the retake grouped by no tag").isEmpty();
    assertThat(jdbc.sql("SELECT COUNT(DISTINCT taken_at) FROM compliance_history").query(Long.class).single())
        .isEqualTo(1);
  }

  /**
   * An OS without a default baseline (OPENEULER here, its built-in default un-defaulted for the
   * test): its hosts never scanned are in no baseline's history.
   */
  @Test
  void hostsNeverScannedWhoseOsHasNoDefaultBaselineAreInNoBaseline() {
    fleet();
    jdbc.sql("UPDATE baselines SET default_for_os = FALSE WHERE os = 'OPENEULER'").update();
    try {
      hostsOfAnOsWithoutDefaultAreInNoBaseline();
    } finally {
      jdbc.sql("UPDATE baselines SET default_for_os = TRUE WHERE name = 'openEuler-default'").update();
    }
  }

  private void hostsOfAnOsWithoutDefaultAreInNoBaseline() {
    assertThat(baselines.defaultFor(OsFamily.OPENEULER)).isEmpty();
    Host f = host("f", OsFamily.OPENEULER, Map.of("zone", "az1"));
    history.snapshot(DAY1, NOW, TAG_KEYS);

    List<ComplianceHistoryPoint> all = history.series(DAY1, DAY1, null, null);
    assertThat(all).extracting(ComplianceHistoryPoint::baselineName)
        .containsExactly("HCE-default", "CentOS-default", "EulerOS-default");
    assertThat(all.stream().mapToLong(ComplianceHistoryPoint::hosts).sum()).isEqualTo(5); // f is left out
    assertThat(summaries.summary(null).overall().hosts()).as("the summary counts it").isEqualTo(6);
    assertThat(history.series(DAY1, DAY1, null, "os")).extracting(ComplianceHistoryPoint::group)
        .doesNotContain("OPENEULER");

    // once scanned against a baseline, it counts under that one
    scan(f, hceDefault, "21.hce2", Set.of());
    history.snapshot(DAY2, NOW, TAG_KEYS);
    assertThat(history.series(DAY2, DAY2, hceDefault.id(), "os")).extracting(ComplianceHistoryPoint::group)
        .containsExactly("HCE", "OPENEULER");
  }

  @Test
  void anEmptyFleetHasNoRows() {
    assertThat(history.snapshot(DAY1, NOW, TAG_KEYS)).isEmpty();
    assertThat(history.series(DAY1, DAY1, null, null)).isEmpty();
  }

  @Test
  void retentionDeletesTheDaysBefore() {
    fleet();
    for (int i = 0; i < 3; i++) {
      history.snapshot(DAY1.plusDays(i), NOW.plusSeconds(i * 86400L), List.of());
    }
    // DAY1's rows: the three baselines' ALL rows and their one OS each
    assertThat(history.deleteOlderThan(DAY2)).isEqualTo(6);
    assertThat(history.series(DAY1, DAY1.plusDays(2), null, null)).extracting(ComplianceHistoryPoint::day)
        .containsOnly(DAY2, DAY1.plusDays(2)).hasSize(6);
    assertThat(history.deleteOlderThan(DAY2)).isZero();
  }

  @Test
  void theDefaultRangeIsTheLastThirtyDays() {
    fleet();
    LocalDate today = LocalDate.now(ZoneOffset.UTC);
    history.snapshot(today, NOW, List.of());
    history.snapshot(today.minusDays(29), NOW, List.of());
    history.snapshot(today.minusDays(30), NOW, List.of());
    assertThat(history.series(null, null, hceDefault.id(), null)).extracting(ComplianceHistoryPoint::day)
        .containsExactly(today.minusDays(29), today);
    assertThat(history.series(null, today.minusDays(1), hceDefault.id(), null)).extracting(ComplianceHistoryPoint::day)
        .containsExactly(today.minusDays(30), today.minusDays(29));
  }

  @Test
  void refusesBadRangesGroupingsAndBaselines() {
    assertProblem(() -> history.series(DAY2, DAY1, null, null), "from");
    assertProblem(() -> history.series(DAY1.minusDays(400), DAY1, null, null), "from");
    assertThat(history.series(DAY1.minusDays(399), DAY1, null, null)).isEmpty();
    assertProblem(() -> history.series(DAY1, DAY1, 0L, null), "baselineId");
    for (String bad : List.of("OS", "baseline", "tag:", "tag:-zone", "tag:zone'; DROP TABLE hosts; --")) {
      assertProblem(() -> history.series(DAY1, DAY1, null, bad), "groupBy");
    }
    assertThatThrownBy(() -> history.snapshot(DAY1, NOW, List.of("bad key")))
        .isInstanceOf(InvalidInputException.class);
  }

  static void assertProblem(Runnable call, String field) {
    assertThatThrownBy(call::run).as(field).isInstanceOfSatisfying(InvalidInputException.class,
        e -> assertThat(e.problems()).extracting(FieldProblem::field).containsExactly(field));
  }

  /** The points of one group, of every baseline. */
  static List<ComplianceHistoryPoint> inGroup(List<ComplianceHistoryPoint> points, String group) {
    return points.stream().filter(p -> group.equals(p.group())).toList();
  }

  static ComplianceHistoryPoint only(List<ComplianceHistoryPoint> points, String group) {
    List<ComplianceHistoryPoint> in = points.stream().filter(p -> java.util.Objects.equals(p.group(), group)).toList();
    assertThat(in).as(group).hasSize(1);
    return in.get(0);
  }

  static void assertCounts(ComplianceHistoryPoint p, long hosts, long compliant, long nonCompliant, long unknown) {
    assertThat(List.of(p.hosts(), p.compliant(), p.nonCompliant(), p.unknown()))
        .as(p.baselineName() + " " + p.group()).containsExactly(hosts, compliant, nonCompliant, unknown);
  }

  /** The points (of several baselines) add up exactly to the summary's totals. */
  static void assertSameAs(List<ComplianceHistoryPoint> points, Totals totals) {
    long hosts = 0;
    long compliant = 0;
    long nonCompliant = 0;
    long unknown = 0;
    Map<String, Long> byState = new LinkedHashMap<>();
    Map<String, Map<String, Long>> byLevel = new LinkedHashMap<>();
    for (ComplianceHistoryPoint p : points) {
      hosts += p.hosts();
      compliant += p.compliant();
      nonCompliant += p.nonCompliant();
      unknown += p.unknown();
      p.byState().forEach((k, v) -> byState.merge(k, v, Long::sum));
      p.byLevel().forEach((level, states) -> states.forEach((k, v) ->
          byLevel.computeIfAbsent(level, l -> new LinkedHashMap<>()).merge(k, v, Long::sum)));
    }
    assertThat(new ArrayList<>(List.of(hosts, compliant, nonCompliant, unknown)))
        .containsExactly(totals.hosts(), totals.compliant(), totals.nonCompliant(), totals.unknown());
    assertThat(byState).containsExactlyEntriesOf(totals.patchesByState());
    assertThat(byLevel).isEqualTo(totals.patchesByLevel());
    // every state and level, in their order, as read back from the JSON columns
    points.forEach(p -> ComplianceSummaryStoreTest.assertComplete(new Totals(p.hosts(), p.compliant(),
        p.nonCompliant(), p.unknown(), p.byState(), p.byLevel())));
  }
}
