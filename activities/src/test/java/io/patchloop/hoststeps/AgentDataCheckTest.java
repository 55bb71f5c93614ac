package io.patchloop.hoststeps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.patchloop.baselines.ApprovalRule;
import io.patchloop.baselines.Baseline;
import io.patchloop.baselines.BaselineSpec;
import io.patchloop.baselines.BaselineStore;
import io.patchloop.baselines.ComplianceLevel;
import io.patchloop.baselines.PatchCategory;
import io.patchloop.baselines.PatchSeverity;
import io.patchloop.baselines.RejectedPatchesAction;
import io.patchloop.common.OsFamily;
import io.patchloop.common.Scenario;
import io.patchloop.compliance.PatchState;
import io.patchloop.hosts.Host;
import io.patchloop.hosts.HostSpec;
import io.patchloop.hosts.HostStore;
import io.patchloop.inventory.Advisory;
import io.patchloop.inventory.AdvisoryPackage;
import io.patchloop.inventory.HostDataLimits;
import io.patchloop.inventory.HostInventory;
import io.patchloop.inventory.InstalledPackage;
import io.patchloop.reports.HostReport;
import io.patchloop.reports.ReportStore;
import io.patchloop.rpm.Evr;
import io.patchloop.store.StoreTestApplication;
import io.patchloop.workflows.host.HostErrorKind;
import io.patchloop.workflows.repair.InstallResult;
import io.patchloop.workflows.repair.RepairPlan;
import io.patchloop.workflows.repair.RepairRequest;
import io.patchloop.workflows.scan.ScanRequest;
import io.temporal.failure.ApplicationFailure;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Review M7 centrally: everything an agent hands the central steps is host data, checked with the
 * SSH parsers' patterns and bounds ({@code SafeValues}, {@code HostDataLimits}) by the real
 * {@link ReportActivitiesImpl} against the real MariaDB. Installed-package data no host gives fails
 * the host OUTPUT_UNPARSEABLE (recorded on it, its report kept); more than the SSH path hands on
 * fails it INVENTORY_TOO_LARGE; free text is cut to its column and loses control characters;
 * advisory values the report's columns cannot hold are made storable as the parser makes them.
 * Never a database error, never an unchecked exception.
 */
@SpringBootTest(classes = StoreTestApplication.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AgentDataCheckTest {

  @DynamicPropertySource
  static void database(DynamicPropertyRegistry registry) {
    StoreTestApplication.database(registry, "agentdatacheck");
  }

  static final Instant ISSUED = Instant.parse("2026-10-01T00:00:00Z");
  static final Instant BOOT = Instant.parse("2026-11-27T08:00:00Z");

  @Autowired ReportActivitiesImpl reportActivities;
  @Autowired HostStore hosts;
  @Autowired BaselineStore baselines;
  @Autowired ReportStore reports;

  Baseline baseline;

  @BeforeAll
  void baseline() {
    baseline = baselines.create(new BaselineSpec("agent-data-check", null, Scenario.ECS, OsFamily.HCE, List.of(
        new ApprovalRule(List.of("ALL"), List.of("ALL"), List.of("ALL"), 0, null, ComplianceLevel.HIGH)),
        List.of(), ComplianceLevel.MEDIUM, List.of(), RejectedPatchesAction.BLOCK, false));
  }

  Host host(String name) {
    return hosts.create(new HostSpec(name, "127.0.0.1", 22, "root", "/nonexistent/key", null, OsFamily.HCE,
        Scenario.ECS, Map.of()));
  }

  static InstalledPackage installed(String name, String evr) {
    return new InstalledPackage(name, Evr.parse(evr), "x86_64", Instant.parse("2026-09-01T00:00:00Z"));
  }

  static Advisory advisory(String id, String fixedZlib) {
    return new Advisory(id, "zlib update", "security", PatchCategory.SECURITY, PatchSeverity.IMPORTANT, ISSUED,
        List.of(new AdvisoryPackage("zlib", Evr.parse(fixedZlib), "x86_64")), List.of("CVE-2026-1001"), false);
  }

  /** A plain agent inventory: zlib installed at 1.2.11-1, one advisory fixing it in 1.2.11-5. */
  static HostInventory inventory() {
    return new HostInventory("hce", "2.0", "HCE 2.0", "5.10.0-60.18.0.50.h322.hce2.x86_64", BOOT,
        List.of(installed("zlib", "1.2.11-1.hce2"), installed("kernel", "5.10.0-60.18.0.50.h322.hce2")),
        Set.of("kernel"), List.of(advisory("HCE2-SA-2026-0001", "1.2.11-5.hce2")), false, 600L);
  }

  interface Change {
    HostInventory apply(HostInventory i);
  }

  static HostInventory with(Change change) {
    return change.apply(inventory());
  }

  static HostInventory packages(HostInventory i, List<InstalledPackage> packages) {
    return new HostInventory(i.osId(), i.osVersion(), i.product(), i.runningKernel(), i.bootTime(), packages,
        i.kernelPackageNames(), i.advisories(), i.needsRestarting(), i.metadataAgeSeconds());
  }

  /** Records a good scan, then asserts {@code bad} fails the host as {@code kind}, recorded, with its report kept. */
  void failsTheHostKeepingItsReport(String name, HostInventory bad, HostErrorKind kind, Consumer<String> message) {
    Host host = host(name);
    reportActivities.recordScan(new ScanRequest(host.id(), baseline.id(), "t-good"), inventory());
    ThrowingCallable scan = () -> reportActivities.recordScan(new ScanRequest(host.id(), baseline.id(), "t-bad"), bad);
    assertThatThrownBy(scan).isInstanceOfSatisfying(ApplicationFailure.class, f -> {
      assertThat(f.getType()).isEqualTo(kind.name());
      assertThat(f.isNonRetryable()).isTrue();
      message.accept(f.getOriginalMessage());
    });
    assertThat(hosts.get(host.id()).lastError().kind()).isEqualTo(kind.name());
    assertThat(reports.newest(host.id()).orElseThrow().ticketId()).isEqualTo("t-good");
  }

  /** Before: only the installed packages' names, arches and versions were checked; the kernel names were stored as sent. */
  @Test
  void aPackageNameWithShellCharactersFailsTheHostAsUnparseable() {
    failsTheHostKeepingItsReport("shell-in-installed", with(i -> {
      List<InstalledPackage> p = new ArrayList<>(i.packages());
      p.add(installed("zlib$(reboot)", "1.0-1"));
      return packages(i, p);
    }), HostErrorKind.OUTPUT_UNPARSEABLE, m -> assertThat(m).contains("zlib$(reboot)"));
    failsTheHostKeepingItsReport("shell-in-kernel-name", with(i -> new HostInventory(i.osId(), i.osVersion(),
        i.product(), i.runningKernel(), i.bootTime(), i.packages(), Set.of("kernel", "kernel;reboot"), i.advisories(),
        false, 600L)), HostErrorKind.OUTPUT_UNPARSEABLE, m -> assertThat(m).contains("kernel;reboot"));
  }

  /** Before: an epoch beyond what rpm's pattern allows, an install time or a boot time missing, were taken. */
  @Test
  void versionsAndTimesNoHostGivesFailTheHostAsUnparseable() {
    failsTheHostKeepingItsReport("huge-epoch", with(i -> packages(i, List.of(new InstalledPackage("zlib",
        new Evr(Long.MAX_VALUE, "1.2.11", "1.hce2"), "x86_64", ISSUED)))), HostErrorKind.OUTPUT_UNPARSEABLE,
        m -> assertThat(m).contains("zlib"));
    failsTheHostKeepingItsReport("no-install-time", with(i -> packages(i, List.of(new InstalledPackage("zlib",
        Evr.parse("1.2.11-1.hce2"), "x86_64", null)))), HostErrorKind.OUTPUT_UNPARSEABLE,
        m -> assertThat(m).contains("install time"));
    failsTheHostKeepingItsReport("no-boot-time", with(i -> new HostInventory(i.osId(), i.osVersion(), i.product(),
        i.runningKernel(), null, i.packages(), i.kernelPackageNames(), i.advisories(), false, 600L)),
        HostErrorKind.OUTPUT_UNPARSEABLE, m -> assertThat(m).contains("boot time"));
  }

  /** Before: all 200,000 were evaluated and the report written. */
  @Test
  void morePackagesThanTheSshPathKeepsFailsTheHostAsTooLarge() {
    List<InstalledPackage> many = IntStream.range(0, 200_000)
        .mapToObj(n -> installed("pkg" + n, "1.0-1")).toList();
    failsTheHostKeepingItsReport("200k-packages", with(i -> packages(i, many)), HostErrorKind.INVENTORY_TOO_LARGE,
        m -> assertThat(m).contains("200000").contains(Integer.toString(HostDataLimits.MAX_INSTALLED_PACKAGES)));
  }

  /** Before: the length was cut by the report's store, but escape sequences and NULs were stored as sent. */
  @Test
  void aThousandCharacterProductIsCutToItsColumnWithoutControlCharacters() {
    Host host = host("long-product");
    String product = "\u001b[31mEvil OS\u0000 " + "x".repeat(1000);
    reportActivities.recordScan(new ScanRequest(host.id(), baseline.id(), "t-long"), with(i -> new HostInventory(
        i.osId(), i.osVersion(), product, "5.10\u202e0-evil" + "k".repeat(500), i.bootTime(), i.packages(),
        i.kernelPackageNames(), i.advisories(), false, 600L)));

    HostReport report = reports.newest(host.id()).orElseThrow();
    assertThat(report.osRelease()).hasSize(HostDataLimits.MAX_HOST_NAME_TEXT).startsWith("?[31mEvil OS? xxx")
        .endsWith("…");
    assertThat(report.runningKernel()).hasSize(HostDataLimits.MAX_HOST_NAME_TEXT).startsWith("5.10?0-evil");
  }

  /**
   * An advisory that is safe to use but carries values the report's columns cannot hold, or the
   * parser would not have kept: made as the parser makes them (one installed already, so that the
   * report shows it without an issued date). An unsafe one is left out, the same id twice kept once.
   */
  @Test
  void advisoryValuesAreKeptAsTheParserKeepsThem() {
    Host host = host("odd-advisories");
    List<String> cves = new ArrayList<>(IntStream.range(0, 5000).mapToObj(n -> "CVE-2026-" + (10000 + n)).toList());
    cves.add(0, "not a cve; reboot");
    Advisory far = new Advisory("HCE2-SA-2026-0002", "title \u001b[2J" + "t".repeat(10_000), "security",
        PatchCategory.SECURITY, null, Instant.parse("5000-01-01T00:00:00Z"),
        List.of(new AdvisoryPackage("zlib", Evr.parse("1.2.11-1.hce2"), "x86_64")), cves, false);
    Advisory unsafe = new Advisory("HCE2-SA-2026-0003`reboot`", "", "security", PatchCategory.SECURITY,
        PatchSeverity.LOW, ISSUED, List.of(new AdvisoryPackage("zlib", Evr.parse("1.2.11-7.hce2"), "x86_64")),
        List.of(), false);
    reportActivities.recordScan(new ScanRequest(host.id(), baseline.id(), "t-odd"), with(i -> new HostInventory(
        i.osId(), i.osVersion(), i.product(), i.runningKernel(), i.bootTime(), i.packages(), i.kernelPackageNames(),
        List.of(advisory("HCE2-SA-2026-0001", "1.2.11-5.hce2"), far, unsafe,
            advisory("HCE2-SA-2026-0001", "1.2.11-5.hce2")), false, 600L)));

    List<HostReport.Patch> patches = reports.newest(host.id()).orElseThrow().patches();
    assertThat(patches).extracting(HostReport.Patch::advisoryId)
        .containsExactlyInAnyOrder("HCE2-SA-2026-0001", "HCE2-SA-2026-0002");
    HostReport.Patch kept = patches.stream().filter(p -> p.advisoryId().equals("HCE2-SA-2026-0002")).findFirst()
        .orElseThrow();
    assertThat(kept.state()).isEqualTo(PatchState.INSTALLED_OTHER); // no rule approves an advisory without a date
    assertThat(kept.issued()).isNull();
    assertThat(kept.severity()).isEqualTo("NONE");
    assertThat(kept.cves()).hasSize(HostDataLimits.MAX_CVES_PER_ADVISORY).allMatch(c -> c.startsWith("CVE-2026-"));
  }

  /** Before: "Data too long" for failure_message: the host failed INTERNAL and the repair's report was lost. */
  @Test
  void aMegabyteFailureMessageOfTheRepairIsCutToTheColumn() {
    Host host = host("megabyte-failure");
    reportActivities.recordScan(new ScanRequest(host.id(), baseline.id(), "t-scan"), inventory());
    RepairRequest request = new RepairRequest(host.id(), baseline.id(), "t-repair");
    RepairPlan plan = reportActivities.planRepair(request);
    assertThat(plan.patches()).extracting(RepairPlan.Patch::advisoryId).containsExactly("HCE2-SA-2026-0001");

    String megabyte = "Error: \u001b[1m" + "E".repeat(1_000_000);
    reportActivities.recordRepair(request, plan, new InstallResult(Map.of("HCE2-SA-2026-0001", megabyte,
        "not an id; reboot", "x"), inventory()));

    HostReport.Patch failed = reports.newest(host.id()).orElseThrow().patches().get(0);
    assertThat(failed.state()).isEqualTo(PatchState.FAILED);
    assertThat(failed.failureMessage()).hasSize(HostDataLimits.MAX_MESSAGE).startsWith("Error: ?[1mEEE").endsWith("…");
  }

  /** An install result without the host's inventory after it: before, an unchecked NullPointerException (INTERNAL). */
  @Test
  void anInstallResultWithoutItsInventoryFailsTheHostAsUnparseable() {
    Host host = host("no-after");
    reportActivities.recordScan(new ScanRequest(host.id(), baseline.id(), "t-scan"), inventory());
    RepairRequest request = new RepairRequest(host.id(), baseline.id(), "t-repair");
    RepairPlan plan = reportActivities.planRepair(request);
    assertThatThrownBy(() -> reportActivities.recordRepair(request, plan, new InstallResult(null, null)))
        .isInstanceOfSatisfying(ApplicationFailure.class, f -> assertThat(f.getType()).isEqualTo("OUTPUT_UNPARSEABLE"));
    assertThat(hosts.get(host.id()).lastError().kind()).isEqualTo("OUTPUT_UNPARSEABLE");
  }

  /** An agent's failure message is its own words: before, a megabyte of them failed the write ("Data too long"). */
  @Test
  void aMegabyteHostFailureIsRecordedCut() {
    Host host = host("megabyte-host-failure");
    reportActivities.recordHostFailure(host.id(), HostErrorKind.COMMAND_FAILED, "F".repeat(1_000_000));
    Host.LastError error = hosts.get(host.id()).lastError();
    assertThat(error.kind()).isEqualTo("COMMAND_FAILED");
    assertThat(error.message()).hasSize(HostDataLimits.MAX_MESSAGE).endsWith("…");
  }

  /** What the SSH path's parsers produce passes unchanged (the same object, nothing copied). */
  @Test
  void anInventoryTheParsersCouldHaveMadePassesUnchanged() {
    HostInventory good = inventory();
    assertThat(InventoryCheck.checked(good)).isSameAs(good);
  }
}
