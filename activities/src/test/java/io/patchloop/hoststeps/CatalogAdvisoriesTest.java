package io.patchloop.hoststeps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.patchloop.advisories.UpdateInfoFile;
import io.patchloop.advisories.UpdateInfoFileStore;
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
import io.patchloop.inventory.HostInventory;
import io.patchloop.inventory.InstalledPackage;
import io.patchloop.reports.HostReport;
import io.patchloop.reports.ReportStore;
import io.patchloop.rpm.Evr;
import io.patchloop.store.StoreTestApplication;
import io.patchloop.workflows.scan.ScanRequest;
import io.temporal.failure.ApplicationFailure;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Issue 17 centrally: an agent's inventory that left updateinfo files to the catalog gets their
 * advisories added from the real catalog (MariaDB), cut to the host's installed names and arches
 * and merged with what the agent read itself, before it is evaluated and recorded; a file the
 * catalog does not have, or a checksum that is not one, fails the host and leaves its report as it
 * was. The agent's data is checked as the host's parsers check theirs.
 */
@SpringBootTest(classes = StoreTestApplication.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CatalogAdvisoriesTest {

  @DynamicPropertySource
  static void database(DynamicPropertyRegistry registry) {
    StoreTestApplication.database(registry, "catalogadvisories");
  }

  static final String KNOWN = "sha256:" + "11".repeat(32);
  static final String NOT_STORED = "sha256:" + "99".repeat(32);
  static final Instant ISSUED = Instant.parse("2026-10-01T00:00:00Z");

  @Autowired UpdateInfoFileStore store;
  @Autowired CatalogAdvisories catalogAdvisories;
  @Autowired ReportActivitiesImpl reportActivities;
  @Autowired HostStore hosts;
  @Autowired BaselineStore baselines;
  @Autowired ReportStore reports;
  @Autowired JdbcClient jdbc;

  Baseline baseline;

  static AdvisoryPackage entry(String name, String evr, String arch) {
    return new AdvisoryPackage(name, Evr.parse(evr), arch);
  }

  static Advisory advisory(String id, AdvisoryPackage... packages) {
    return new Advisory(id, "update of " + packages[0].name(), "security", PatchCategory.SECURITY,
        PatchSeverity.CRITICAL, ISSUED, List.of(packages), List.of("CVE-2026-" + id.substring(id.length() - 4)), false);
  }

  static InstalledPackage installed(String name, String evr) {
    return new InstalledPackage(name, Evr.parse(evr), "x86_64", Instant.parse("2026-09-01T00:00:00Z"));
  }

  /** The host: openssl, openssl-libs, zlib, bash (at the fixed version already) and vim, all x86_64. */
  static final List<InstalledPackage> PACKAGES = List.of(installed("openssl", "1:1.1.1m-15.hce2"),
      installed("openssl-libs", "1:1.1.1m-15.hce2"), installed("zlib", "1.2.11-1.hce2"), installed("bash", "5.1-9.hce2"),
      installed("vim-minimal", "9.0-1.hce2"));

  /**
   * What the agent read itself from a file the catalog did not have: the same advisory 0101 as an
   * update repository lists it (openssl-libs), and 0200 for zlib; and it left {@code checksums}.
   */
  static HostInventory leaving(List<String> checksums) {
    return new HostInventory("hce", "2.0", "HCE 2.0", "5.10.0-60.18.0.50.h322.hce2.x86_64",
        Instant.parse("2026-11-27T08:00:00Z"), PACKAGES, Set.of("kernel"),
        List.of(advisory("HCE2-SA-2026-0101", entry("openssl-libs", "1:1.1.1m-30.hce2", "x86_64")),
            advisory("HCE2-SA-2026-0200", entry("zlib", "1.2.11-5.hce2", "x86_64"))),
        false, 600L, checksums);
  }

  @BeforeAll
  void catalogHostAndBaseline() {
    // 0101 for openssl on two arches (only x86_64 installed), 0102 for nginx (not installed), 0103 for bash
    store.save(KNOWN, "repository hce-updates of a test", new UpdateInfoFile(List.of(
        advisory("HCE2-SA-2026-0101", entry("openssl", "1:1.1.1m-30.hce2", "x86_64"),
            entry("openssl", "1:1.1.1m-30.hce2", "i686")),
        advisory("HCE2-SA-2026-0102", entry("nginx", "1.21.5-9.hce2", "x86_64")),
        advisory("HCE2-SA-2026-0103", entry("bash", "5.1-9.hce2", "x86_64"))), 0));
    baseline = baselines.create(new BaselineSpec("catalog-test", null, Scenario.ECS, OsFamily.HCE, List.of(
        new ApprovalRule(List.of("ALL"), List.of("SECURITY"), List.of("ALL"), 0, null, ComplianceLevel.HIGH)),
        List.of(), ComplianceLevel.MEDIUM, List.of(), RejectedPatchesAction.BLOCK, false));
  }

  Host host(String name) {
    return hosts.create(new HostSpec(name, "127.0.0.1", 22, "root", "/nonexistent/key", null, OsFamily.HCE,
        Scenario.ECS, Map.of()));
  }

  @Test
  void theCatalogsAdvisoriesAreAddedCutToTheInstalledPackagesAndMergedWithTheAgents() {
    HostInventory resolved = catalogAdvisories.resolve(leaving(List.of(KNOWN)));

    assertThat(resolved.catalogChecksums()).isNull();
    Map<String, Set<String>> entries = resolved.advisories().stream().collect(Collectors.toMap(Advisory::id,
        a -> a.packages().stream().map(p -> p.name() + "." + p.arch()).collect(Collectors.toSet())));
    assertThat(entries).isEqualTo(Map.of(
        "HCE2-SA-2026-0101", Set.of("openssl-libs.x86_64", "openssl.x86_64"),
        "HCE2-SA-2026-0103", Set.of("bash.x86_64"),
        "HCE2-SA-2026-0200", Set.of("zlib.x86_64")));
    // cut as the agent would have cut it: vim-minimal is named by no advisory
    assertThat(resolved.packages()).extracting(InstalledPackage::name)
        .containsExactlyInAnyOrder("openssl", "openssl-libs", "zlib", "bash");
    assertThat(resolved.metadataAgeSeconds()).isEqualTo(600L);
  }

  @Test
  void anInventoryThatLeftNothingToTheCatalogIsTakenAsItIs() {
    HostInventory whole = leaving(null);
    assertThat(catalogAdvisories.resolve(whole)).isSameAs(whole);
    HostInventory empty = leaving(List.of());
    assertThat(catalogAdvisories.resolve(empty)).isSameAs(empty);
  }

  @Test
  void recordScanEvaluatesTheCatalogsAdvisoriesOfAnAgentHost() {
    Host host = host("agent-resolved");
    reportActivities.recordScan(new ScanRequest(host.id(), baseline.id(), "t-catalog"), leaving(List.of(KNOWN)));

    HostReport report = reports.newest(host.id()).orElseThrow();
    assertThat(report.patches().stream().collect(Collectors.toMap(HostReport.Patch::advisoryId, HostReport.Patch::state)))
        .isEqualTo(Map.of("HCE2-SA-2026-0101", PatchState.MISSING, "HCE2-SA-2026-0103", PatchState.INSTALLED,
            "HCE2-SA-2026-0200", PatchState.MISSING));
  }

  @Test
  void aFileTheCatalogDoesNotHaveFailsTheHostAndKeepsItsReport() {
    Host host = host("agent-unknown-file");
    reportActivities.recordScan(new ScanRequest(host.id(), baseline.id(), "t-before"), leaving(List.of(KNOWN)));
    Instant before = reports.newest(host.id()).orElseThrow().scannedAt();

    assertThatThrownBy(() -> reportActivities.recordScan(new ScanRequest(host.id(), baseline.id(), "t-after"),
        leaving(List.of(KNOWN, NOT_STORED))))
        .isInstanceOfSatisfying(ApplicationFailure.class, f -> {
          assertThat(f.getType()).isEqualTo("METADATA_UNAVAILABLE");
          assertThat(f.isNonRetryable()).isTrue();
          assertThat(f.getOriginalMessage()).contains(NOT_STORED).contains("no longer has it");
        });
    assertThat(reports.newest(host.id()).orElseThrow()).satisfies(r -> {
      assertThat(r.ticketId()).isEqualTo("t-before");
      assertThat(r.scannedAt()).isEqualTo(before);
    });
    assertThat(hosts.get(host.id()).lastError()).satisfies(e -> {
      assertThat(e.kind()).isEqualTo("METADATA_UNAVAILABLE");
      assertThat(e.message()).contains(NOT_STORED);
    });
  }

  @Test
  void aChecksumThatIsNotOneIsRefusedBeforeTheCatalogIsAsked() {
    for (String bad : List.of("sha256:' OR 1=1 --", "md5:" + "ab".repeat(16), "sha256:" + "AB".repeat(32))) {
      assertThatThrownBy(() -> catalogAdvisories.resolve(leaving(List.of(bad))))
          .isInstanceOfSatisfying(ApplicationFailure.class,
              f -> assertThat(f.getType()).isEqualTo("OUTPUT_UNPARSEABLE"));
    }
  }

  /**
   * An agent's inventory is host data: checked centrally as the host's parsers check theirs. An
   * advisory with an unsafe id or package entry is left out of the report; an installed package
   * rpm could not have listed fails the host.
   */
  @Test
  void recordScanChecksTheAgentsDataAsTheCollectorsParsersDo() {
    Host host = host("agent-unsafe-data");
    HostInventory base = leaving(List.of(KNOWN));
    List<Advisory> advisories = new java.util.ArrayList<>(base.advisories());
    advisories.add(advisory("HCE2-SA-2026-0400$(reboot)", entry("zlib", "1.2.11-7.hce2", "x86_64")));
    advisories.add(advisory("HCE2-SA-2026-0401", entry("zlib", "1.2.11-8.hce2", "x86_64"),
        entry("zlib;reboot", "1.2.11-8.hce2", "x86_64")));
    reportActivities.recordScan(new ScanRequest(host.id(), baseline.id(), "t-unsafe-advisories"),
        new HostInventory(base.osId(), base.osVersion(), base.product(), base.runningKernel(), base.bootTime(),
            base.packages(), base.kernelPackageNames(), advisories, false, 600L, base.catalogChecksums()));
    assertThat(reports.newest(host.id()).orElseThrow().patches()).extracting(HostReport.Patch::advisoryId)
        .containsExactlyInAnyOrder("HCE2-SA-2026-0101", "HCE2-SA-2026-0103", "HCE2-SA-2026-0200");

    List<InstalledPackage> unsafe = new java.util.ArrayList<>(PACKAGES);
    unsafe.add(new InstalledPackage("openssl'; reboot; '", Evr.parse("1.0-1"), "x86_64", ISSUED));
    assertThatThrownBy(() -> reportActivities.recordScan(new ScanRequest(host.id(), baseline.id(), "t-unsafe"),
        new HostInventory(base.osId(), base.osVersion(), base.product(), base.runningKernel(), base.bootTime(), unsafe,
            base.kernelPackageNames(), base.advisories(), false, 600L, base.catalogChecksums())))
        .isInstanceOfSatisfying(ApplicationFailure.class, f -> assertThat(f.getType()).isEqualTo("OUTPUT_UNPARSEABLE"));
    assertThat(hosts.get(host.id()).lastError().kind()).isEqualTo("OUTPUT_UNPARSEABLE");
    assertThat(reports.newest(host.id()).orElseThrow().ticketId()).isEqualTo("t-unsafe-advisories");
  }

  @Test
  void theAgentIsToldTheChecksumsUsedLastFirstAndNoMoreThanTheLimit() {
    String older = "sha256:" + "22".repeat(32);
    String newest = "sha512:" + "33".repeat(64);
    UpdateInfoFile small = new UpdateInfoFile(List.of(advisory("HCE2-SA-2026-0300", entry("zlib", "1.2.11-6.hce2",
        "x86_64"))), 0);
    store.save(older, "test", small);
    store.save(newest, "test", small);
    jdbc.sql("UPDATE updateinfo_files SET last_used_at = ? WHERE checksum = ?")
        .params(Timestamp.from(Instant.parse("2026-01-01T00:00:00Z")), older).update();
    jdbc.sql("UPDATE updateinfo_files SET last_used_at = ? WHERE checksum = ?")
        .params(Timestamp.from(Instant.parse("2030-01-01T00:00:00Z")), newest).update();

    assertThat(store.recentlyUsedChecksums(2)).containsExactly(newest, KNOWN);
    assertThat(reportActivities.knownUpdateInfoChecksums()).startsWith(newest, KNOWN).endsWith(older)
        .doesNotHaveDuplicates();
  }
}
