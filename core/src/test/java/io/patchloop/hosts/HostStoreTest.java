package io.patchloop.hosts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.patchloop.baselines.Baseline;
import io.patchloop.baselines.BaselineStore;
import io.patchloop.baselines.PatchCategory;
import io.patchloop.baselines.PatchSeverity;
import io.patchloop.common.ConflictException;
import io.patchloop.common.FieldProblem;
import io.patchloop.common.InvalidInputException;
import io.patchloop.common.NotFoundException;
import io.patchloop.common.OsFamily;
import io.patchloop.common.PageRequest;
import io.patchloop.common.Scenario;
import io.patchloop.compliance.ComplianceEngine;
import io.patchloop.compliance.HostCompliance;
import io.patchloop.compliance.PatchState;
import io.patchloop.credentials.CredentialSpec;
import io.patchloop.credentials.CredentialStore;
import io.patchloop.inventory.Advisory;
import io.patchloop.inventory.AdvisoryPackage;
import io.patchloop.inventory.HostInventory;
import io.patchloop.inventory.InstalledPackage;
import io.patchloop.reports.ReportStore;
import io.patchloop.rpm.Evr;
import io.patchloop.store.StoreTestApplication;
import java.time.Instant;
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
class HostStoreTest {

  @DynamicPropertySource
  static void database(DynamicPropertyRegistry registry) {
    StoreTestApplication.database(registry, "hoststore");
  }

  @Autowired HostStore hosts;
  @Autowired CredentialStore credentials;
  @Autowired JdbcClient jdbc;

  @BeforeEach
  void empty() {
    jdbc.sql("DELETE FROM hosts").update();
    jdbc.sql("DELETE FROM credentials").update();
  }

  static HostSpec host(String name, OsFamily os, Map<String, String> tags) {
    return new HostSpec(name, "10.0.0.1", null, null, "/keys/id_ed25519", null, os, null, tags);
  }

  @Test
  void agentHostsNeedNoKeyAndShowTheirAgentAsItReports() {
    Host h = hosts.create(new HostSpec("agent-1", "10.0.0.9", null, null, null, null, OsFamily.HCE, null, Map.of(),
        AccessMode.AGENT));
    assertThat(h.access()).isEqualTo(AccessMode.AGENT);
    assertThat(h.agent().state()).isEqualTo(AgentStatus.State.NEVER_SEEN);
    assertThat(hosts.create(host("ssh-1", OsFamily.HCE, Map.of())).agent()).as("an SSH host has no agent").isNull();

    java.time.Instant started = java.time.Instant.parse("2026-11-27T08:00:00Z");
    assertThat(hosts.recordAgentReport(h.id(), "0.1.0", Map.of("hostname", "agent-1"), started)).isTrue();
    Host seen = hosts.get(h.id());
    assertThat(seen.agent().startedAt()).isEqualTo(started);
    assertThat(seen.agent().state()).isEqualTo(AgentStatus.State.ONLINE);
    assertThat(seen.agent().version()).isEqualTo("0.1.0");
    assertThat(seen.agent().facts()).containsEntry("hostname", "agent-1");

    // a report older than patchloop.agent.offline-after (90 s by default)
    jdbc.sql("UPDATE hosts SET agent_last_seen = agent_last_seen - INTERVAL 91 SECOND WHERE id = ?").param(h.id()).update();
    AgentStatus gone = hosts.get(h.id()).agent();
    assertThat(gone.state()).isEqualTo(AgentStatus.State.OFFLINE);
    assertThat(gone.describe()).startsWith("OFFLINE (last seen ");

    assertThat(hosts.recordAgentReport(987_654, "0.1.0", Map.of(), null)).as("no such host").isFalse();
    // a host whose clock is off by decades still reports; only its start time is dropped
    assertThat(hosts.recordAgentReport(h.id(), "0.1.0", Map.of(), java.time.Instant.EPOCH)).isTrue();
    assertThat(hosts.get(h.id()).agent().startedAt()).isNull();
  }

  @Test
  void anSshHostStillNeedsExactlyOneCredential() {
    assertThatThrownBy(() -> hosts.create(new HostSpec("ssh-2", "10.0.0.9", null, null, null, null, OsFamily.HCE, null,
        Map.of())))
        .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.problems()).extracting(FieldProblem::field)
            .contains("keyPath"));
  }

  @Test
  void createsWithDefaultsAndReadsBack() {
    Host h = hosts.create(host("web-1", OsFamily.HCE, Map.of("zone", "az1", "app", "shop")));
    assertThat(h.port()).isEqualTo(22);
    assertThat(h.username()).isEqualTo("root");
    assertThat(h.scenario()).isEqualTo(Scenario.ECS);
    assertThat(h.complianceStatus()).isEqualTo(Host.ComplianceStatus.UNKNOWN);
    assertThat(hosts.get(h.id())).isEqualTo(h);
    assertThat(h.tags()).containsEntry("zone", "az1").containsEntry("app", "shop");
  }

  @Test
  void filtersByEveryTagGivenByOsAndScenarioAndPages() {
    hosts.create(host("a", OsFamily.HCE, Map.of("zone", "az1", "app", "shop")));
    hosts.create(host("b", OsFamily.HCE, Map.of("zone", "az1", "app", "crm")));
    hosts.create(host("c", OsFamily.CENTOS, Map.of("zone", "az2", "app", "shop")));
    var shopInAz1 = hosts.list(new HostQuery(Map.of("zone", "az1", "app", "shop"), null, null, null), PageRequest.of(0, 10));
    assertThat(shopInAz1.items()).extracting(Host::name).containsExactly("a");
    var hce = hosts.list(new HostQuery(Map.of(), OsFamily.HCE, null, null), PageRequest.of(0, 1));
    assertThat(hce.total()).isEqualTo(2);
    assertThat(hce.items()).extracting(Host::name).containsExactly("a");
    var secondPage = hosts.list(new HostQuery(Map.of(), OsFamily.HCE, null, null), PageRequest.of(1, 1));
    assertThat(secondPage.items()).extracting(Host::name).containsExactly("b");
    assertThat(hosts.list(new HostQuery(Map.of(), null, Scenario.BMS, null), PageRequest.of(0, 10)).total()).isZero();
    assertThat(hosts.list(new HostQuery(Map.of(), null, null, Host.ComplianceStatus.UNKNOWN), PageRequest.of(0, 10))
        .total()).isEqualTo(3);
  }

  @Test
  void filtersByComplianceStatusOfTheNewestReport() {
    Host a = hosts.create(host("a", OsFamily.HCE, Map.of()));
    hosts.create(host("b", OsFamily.HCE, Map.of()));
    jdbc.sql("INSERT INTO compliance_reports (host_id, baseline_id, operation, scanned_at, status, os_family,"
            + " installed_count, installed_other_count, pending_reboot_count, installed_rejected_count, missing_count,"
            + " failed_count) VALUES (?, 1, 'SCAN', UTC_TIMESTAMP(3), 'NON_COMPLIANT', 'HCE', 1, 0, 0, 0, 2, 0)")
        .param(a.id()).update();
    var nonCompliant = hosts.list(new HostQuery(Map.of(), null, null, Host.ComplianceStatus.NON_COMPLIANT),
        PageRequest.of(0, 10));
    assertThat(nonCompliant.items()).extracting(Host::name).containsExactly("a");
    assertThat(nonCompliant.items().get(0).lastScannedAt()).isNotNull();
    assertThat(hosts.list(new HostQuery(Map.of(), null, null, Host.ComplianceStatus.UNKNOWN), PageRequest.of(0, 10))
        .items()).extracting(Host::name).containsExactly("b");
  }

  @Autowired ReportStore reports;
  @Autowired BaselineStore baselines;

  static final String OPENSSL_FIX = "HCE2-SA-2026-0001";
  static final Instant SCANNED = Instant.parse("2026-11-27T00:00:00Z");

  /**
   * A report as a scan writes it: openssl at {@code opensslRelease} against a Critical security
   * advisory fixed in 1.1.1m-21 (approved by the built-in rule), its repair failed when {@code failed}.
   */
  HostCompliance scanned(Host host, String opensslRelease, boolean failed) {
    Baseline baseline = baselines.list(OsFamily.HCE).stream().filter(b -> b.name().equals("HCE-default")).findFirst()
        .orElseThrow();
    var installed = List.of(new InstalledPackage("openssl", Evr.parse("1:1.1.1m-" + opensslRelease), "x86_64", SCANNED));
    var advisories = List.of(new Advisory(OPENSSL_FIX, "openssl", "security", PatchCategory.SECURITY,
        PatchSeverity.CRITICAL, SCANNED.minusSeconds(30 * 86400),
        List.of(new AdvisoryPackage("openssl", Evr.parse("1:1.1.1m-21.hce2"), "x86_64")), List.of("CVE-2024-0727"),
        false));
    var inventory = new HostInventory("hce", "2.0", "HCE 2.0", "5.10.0-1.hce2.x86_64", SCANNED.minusSeconds(3600),
        installed, Set.of(), advisories, false, 60L);
    HostCompliance compliance = new ComplianceEngine().evaluate(inventory, baseline, SCANNED,
        failed ? Set.of(OPENSSL_FIX) : Set.of());
    reports.replace(host.id(), baseline.id(), null, failed ? "REPAIR" : "SCAN", SCANNED, inventory, compliance);
    return compliance;
  }

  static PatchState stateOf(HostCompliance c, String advisory) {
    return c.patches().stream().filter(p -> p.advisory().id().equals(advisory)).findFirst().orElseThrow().state();
  }

  @Test
  void filtersByAnAdvisoryTheNewestReportListsAsMissingOrFailed() {
    Host missing = hosts.create(host("missing", OsFamily.HCE, Map.of("zone", "az1")));
    Host failed = hosts.create(host("failed", OsFamily.HCE, Map.of("zone", "az2")));
    Host installed = hosts.create(host("installed", OsFamily.HCE, Map.of("zone", "az1")));
    hosts.create(host("never-scanned", OsFamily.HCE, Map.of("zone", "az1")));
    assertThat(stateOf(scanned(missing, "15.hce2", false), OPENSSL_FIX)).isEqualTo(PatchState.MISSING);
    assertThat(stateOf(scanned(failed, "15.hce2", true), OPENSSL_FIX)).isEqualTo(PatchState.FAILED);
    assertThat(stateOf(scanned(installed, "21.hce2", false), OPENSSL_FIX)).isEqualTo(PatchState.INSTALLED);

    assertThat(hosts.list(missingAdvisory(Map.of(), OPENSSL_FIX), PageRequest.of(0, 10)).items())
        .extracting(Host::name).containsExactly("missing", "failed");
    assertThat(hosts.list(missingAdvisory(Map.of("zone", "az1"), OPENSSL_FIX), PageRequest.of(0, 10)).items())
        .as("with the other filters (AND)").extracting(Host::name).containsExactly("missing");
    assertThat(hosts.list(missingAdvisory(Map.of(), "HCE2-SA-2026-9999"), PageRequest.of(0, 10)).total())
        .as("an advisory no report lists").isZero();

    scanned(missing, "21.hce2", false);
    assertThat(hosts.list(missingAdvisory(Map.of(), OPENSSL_FIX), PageRequest.of(0, 10)).items())
        .as("the newest report only").extracting(Host::name).containsExactly("failed");
  }

  static HostQuery missingAdvisory(Map<String, String> tags, String advisory) {
    return new HostQuery(tags, null, null, null, null, advisory);
  }

  @Test
  void anAdvisoryFilterThatIsNoAdvisoryIdIsRefusedByItsField() {
    assertThat(HostQuery.advisoryFilter("missingAdvisory", null)).isNull();
    assertThat(HostQuery.advisoryFilter("missingAdvisory", "RHSA-2024:1234")).isEqualTo("RHSA-2024:1234");
    for (String bad : List.of("", "HCE2 SA", "-SA-1", "x".repeat(129), "SA-1'; DROP TABLE hosts; --")) {
      assertThatThrownBy(() -> HostQuery.advisoryFilter("missingAdvisory", bad))
          .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.problems())
              .extracting(FieldProblem::field).containsExactly("missingAdvisory"));
    }
  }

  @Test
  void refusesDuplicateNamesWithAConflict() {
    hosts.create(host("web-1", OsFamily.HCE, Map.of()));
    assertThatThrownBy(() -> hosts.create(host("web-1", OsFamily.CENTOS, Map.of())))
        .isInstanceOf(ConflictException.class).hasMessageContaining("web-1");
  }

  @Test
  void updateReplacesFieldsAndTags() {
    Host h = hosts.create(host("web-1", OsFamily.HCE, Map.of("zone", "az1")));
    Host u = hosts.update(h.id(), new HostSpec("web-1b", "10.0.0.9", 2222, "ops", "/keys/other", null,
        OsFamily.EULEROS, Scenario.BMS, Map.of("app", "crm")));
    assertThat(u.name()).isEqualTo("web-1b");
    assertThat(u.port()).isEqualTo(2222);
    assertThat(u.tags()).isEqualTo(Map.of("app", "crm"));
    assertThatThrownBy(() -> hosts.update(999_999, host("x", OsFamily.HCE, Map.of())))
        .isInstanceOf(NotFoundException.class);
  }

  @Test
  void usesAStoredCredentialByNameAndRefusesAnUnknownOne() {
    credentials.create(new CredentialSpec("fleet-key", null,
        "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----\n", null));
    Host h = hosts.create(new HostSpec("web-1", "10.0.0.1", null, null, null, "fleet-key", OsFamily.HCE, null, null));
    assertThat(h.credentialName()).isEqualTo("fleet-key");
    assertThat(h.keyPath()).isNull();
    assertThatThrownBy(() -> hosts.create(
        new HostSpec("web-2", "10.0.0.2", null, null, null, "nope", OsFamily.HCE, null, null)))
        .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.problems())
            .containsExactly(new FieldProblem("credentialName", "no stored credential is named 'nope'")));
  }

  @Test
  void importIsAllOrNothingAndListsEveryBadRow() {
    hosts.create(host("taken", OsFamily.HCE, Map.of()));
    List<HostSpec> rows = List.of(
        host("ok-1", OsFamily.HCE, Map.of()),
        host("taken", OsFamily.HCE, Map.of()),
        new HostSpec("bad name", "10.0.0.1", 0, null, "/k", null, OsFamily.HCE, null, null),
        host("ok-1", OsFamily.CENTOS, Map.of()),
        new HostSpec("no-os", "10.0.0.1", null, null, "/k", null, null, null, null));
    assertThatThrownBy(() -> hosts.importAll(rows, i -> "[" + i + "]"))
        .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.problems())
            .extracting(FieldProblem::field)
            .containsExactlyInAnyOrder("[1].name", "[2].name", "[2].port", "[3].name", "[4].osFamily"));
    assertThat(hosts.list(new HostQuery(Map.of(), null, null, null), PageRequest.of(0, 10)).items())
        .extracting(Host::name).containsExactly("taken");

    var imported = hosts.importAll(List.of(host("ok-1", OsFamily.HCE, Map.of("zone", "az1")),
        host("ok-2", OsFamily.CENTOS, Map.of())), i -> "[" + i + "]");
    assertThat(imported).extracting(Host::name).containsExactly("ok-1", "ok-2");
    assertThat(imported.get(0).tags()).containsEntry("zone", "az1");
  }

  @Test
  void refusesValuesThatCouldReachAShellOrSshOptionParser() {
    var hostile = new HostSpec("web-1", "-oProxyCommand=touch /tmp/x", 22, "root;id", "/keys/id $(id)", null,
        OsFamily.HCE, null, Map.of("zone", "az1;rm -rf /"));
    assertThatThrownBy(() -> hosts.create(hostile))
        .isInstanceOfSatisfying(InvalidInputException.class, e -> assertThat(e.problems())
            .extracting(FieldProblem::field)
            .containsExactlyInAnyOrder("address", "username", "keyPath", "tags.zone"));
  }
}
