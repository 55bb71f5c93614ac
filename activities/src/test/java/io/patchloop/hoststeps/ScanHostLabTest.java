package io.patchloop.hoststeps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.patchloop.baselines.ApprovalRule;
import io.patchloop.baselines.Baseline;
import io.patchloop.baselines.BaselineSpec;
import io.patchloop.baselines.BaselineStore;
import io.patchloop.baselines.ComplianceLevel;
import io.patchloop.baselines.RejectedPatchesAction;
import io.patchloop.common.OsFamily;
import io.patchloop.common.Scenario;
import io.patchloop.hostaccess.KnownHostKeyStore;
import io.patchloop.hosts.Host;
import io.patchloop.hosts.HostSpec;
import io.patchloop.hosts.HostStore;
import io.patchloop.reports.HostReport;
import io.patchloop.reports.ReportStore;
import io.patchloop.store.StoreTestApplication;
import io.patchloop.testing.lab.LabFleet;
import io.patchloop.workflows.scan.ScanRequest;
import io.patchloop.workflows.scan.ScanSummary;
import io.temporal.failure.ApplicationFailure;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * {@code scanHost} against real lab hosts (sshd, rpm, dnf, updateinfo.xml): every host of the
 * demo and quirks profiles ends with the states derived by hand below from the fleet's intended
 * states, and each kind of failure is recorded on the host without touching its last report.
 */
@SpringBootTest(classes = StoreTestApplication.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ScanHostLabTest {

  @RegisterExtension
  static LabFleet fleet = LabFleet.builder().hosts(5).profile("demo").and("quirks", 2).build();

  @DynamicPropertySource
  static void database(DynamicPropertyRegistry registry) {
    StoreTestApplication.database(registry, "scanlab");
  }

  /**
   * A whole SSH scan in one call: the host step (SshHostActivitiesImpl.collectInventory), then the
   * central one (ReportActivitiesImpl.recordScan), a failure recorded on the host, exactly as a
   * batch's pipeline calls them.
   */
  @Autowired FusedSshActivitiesImpl scans;
  @Autowired HostStore hosts;
  @Autowired BaselineStore baselines;
  @Autowired ReportStore reports;
  @Autowired KnownHostKeyStore knownHosts;

  /** Lab host index → registered host id. */
  final Map<Integer, Long> hostIds = new HashMap<>();
  Baseline baseline;

  @BeforeAll
  void register() {
    for (LabFleet.Host h : fleet.hosts()) {
      Host host = hosts.create(new HostSpec(h.name(), h.address(), h.port(), "root", fleet.keyPath().toString(), null,
          OsFamily.valueOf(h.osFamily()), Scenario.ECS, Map.of("state", h.intendedState(), "profile", h.profile())));
      hostIds.put(h.index(), host.id());
    }
    // Critical and Important security patches at HIGH, bug fixes at LOW, one Low security patch
    // approved by id at MEDIUM, telnet rejected and blocked; enhancements are not approved.
    String vimAdvisory = advisoryIdsByRole("demo").get("security:vim-minimal");
    baseline = baselines.create(new BaselineSpec("lab-test", null, Scenario.ECS, OsFamily.HCE, List.of(
            new ApprovalRule(List.of("ALL"), List.of("SECURITY"), List.of("CRITICAL", "IMPORTANT"), 0, null,
                ComplianceLevel.HIGH),
            new ApprovalRule(List.of("ALL"), List.of("BUGFIX"), List.of("ALL"), 0, null, ComplianceLevel.LOW)),
        List.of(vimAdvisory), ComplianceLevel.MEDIUM, List.of("telnet*"), RejectedPatchesAction.BLOCK, false));
  }

  /**
   * Advisory ids of a profile by role ({@code type:first package name}, and {@code :old}/{@code :new} when a
   * package has two advisories of one type), read from the manifest because ids carry the year.
   */
  static Map<String, String> advisoryIdsByRole(String profile) {
    Map<String, List<JsonNode>> byKey = new LinkedHashMap<>();
    for (JsonNode a : fleet.manifest(profile).path("advisories")) {
      String first = a.path("packages").get(0).asText();
      String name = first.substring(0, first.lastIndexOf('-', first.lastIndexOf('-') - 1));
      byKey.computeIfAbsent(a.path("type").asText() + ":" + name, k -> new java.util.ArrayList<>()).add(a);
    }
    Map<String, String> roles = new TreeMap<>();
    byKey.forEach((key, list) -> {
      list.sort((x, y) -> x.path("issued").asText().compareTo(y.path("issued").asText()));
      if (list.size() == 1) {
        roles.put(key, list.get(0).path("id").asText());
      } else {
        roles.put(key + ":old", list.get(0).path("id").asText());
        roles.put(key + ":new", list.get(list.size() - 1).path("id").asText());
      }
    });
    return roles;
  }

  /** The states derived by hand, by role, for each intended state; an absent role is not reported. */
  static final Map<String, Map<String, String>> DEMO = Map.of(
      "missing-some", Map.of(
          "security:openssl:old", "INSTALLED", "security:openssl:new", "MISSING",
          "security:bash", "INSTALLED_OTHER", "security:curl:old", "INSTALLED_OTHER", "security:curl:new", "MISSING",
          "security:sudo", "MISSING", "security:vim-minimal", "INSTALLED", "security:kernel", "MISSING",
          "bugfix:nginx", "INSTALLED"),
      "patched", Map.of(
          "security:openssl:old", "INSTALLED", "security:openssl:new", "INSTALLED",
          "security:bash", "INSTALLED_OTHER", "security:curl:old", "INSTALLED_OTHER", "security:curl:new", "INSTALLED",
          "security:sudo", "INSTALLED", "security:vim-minimal", "INSTALLED", "security:kernel", "INSTALLED",
          "bugfix:nginx", "INSTALLED", "enhancement:nginx", "INSTALLED_OTHER"),
      "pending-reboot", Map.of(
          "security:openssl:old", "INSTALLED", "security:openssl:new", "INSTALLED",
          "security:bash", "INSTALLED_OTHER", "security:curl:old", "INSTALLED_OTHER", "security:curl:new", "INSTALLED",
          "security:sudo", "INSTALLED", "security:vim-minimal", "INSTALLED",
          "security:kernel", "INSTALLED_PENDING_REBOOT",
          "bugfix:nginx", "INSTALLED", "enhancement:nginx", "INSTALLED_OTHER"),
      "missing-all", Map.of(
          "security:openssl:old", "MISSING", "security:openssl:new", "MISSING", "security:curl:new", "MISSING",
          "security:sudo", "MISSING", "security:vim-minimal", "MISSING", "security:kernel", "MISSING",
          "bugfix:nginx", "MISSING"));

  static final Map<String, Map<String, String>> QUIRKS = Map.of(
      "missing-some", Map.of(
          "security:kernel:old", "INSTALLED", "security:kernel:new", "MISSING", "security:ntp", "INSTALLED",
          "bugfix:libyaml", "INSTALLED", "other:tzdata", "INSTALLED_OTHER", "security:legacy-agent", "MISSING"),
      "missing-all", Map.of(
          "security:kernel:old", "INSTALLED", "security:kernel:new", "MISSING", "security:ntp", "MISSING",
          "bugfix:libyaml", "MISSING", "security:legacy-agent", "MISSING"));

  @Test
  void everyDemoAndQuirksHostGetsTheStatesDerivedByHand() {
    Map<String, Map<String, String>> rejectable = Map.of("rejectable", DEMO.get("missing-some"));
    for (LabFleet.Host h : fleet.hosts()) {
      var table = h.profile().equals("demo") ? (DEMO.containsKey(h.intendedState()) ? DEMO : rejectable) : QUIRKS;
      Map<String, String> roles = advisoryIdsByRole(h.profile());
      Map<String, String> expected = table.get(h.intendedState()).entrySet().stream()
          .collect(Collectors.toMap(e -> roles.get(e.getKey()), Map.Entry::getValue, (a, b) -> a, TreeMap::new));

      ScanSummary summary = scans.scanHost(new ScanRequest(hostIds.get(h.index()), baseline.id(), null));
      HostReport report = reports.newest(hostIds.get(h.index())).orElseThrow();
      Map<String, String> actual = report.patches().stream()
          .collect(Collectors.toMap(HostReport.Patch::advisoryId, p -> p.state().name(), (a, b) -> a, TreeMap::new));
      assertThat(actual).as(h.name() + " " + h.profile() + "/" + h.intendedState()).isEqualTo(expected);
      boolean compliant = expected.values().stream()
          .allMatch(s -> s.equals("INSTALLED") || s.equals("INSTALLED_OTHER"));
      assertThat(summary.status().name()).as(h.name()).isEqualTo(compliant ? "COMPLIANT" : "NON_COMPLIANT");
      assertThat(report.status()).isEqualTo(summary.status());
      assertThat(report.runningKernel()).isEqualTo(fleet.ssh(h.index(), "uname -r").stdout().strip());
      assertThat(hosts.get(hostIds.get(h.index())).complianceStatus().name()).isEqualTo(summary.status().name());
    }
  }

  @Test
  void readsTheQuirksAsWrittenNotAsDnfShowsThem() {
    LabFleet.Host h = fleet.hostIn("quirks", "missing-some");
    scans.scanHost(new ScanRequest(hostIds.get(h.index()), baseline.id(), null));
    Map<String, String> roles = advisoryIdsByRole("quirks");
    var patches = reports.newest(hostIds.get(h.index())).orElseThrow().patches().stream()
        .collect(Collectors.toMap(HostReport.Patch::advisoryId, p -> p));
    JsonNode kernelOld = advisory("quirks", roles.get("security:kernel:old"));
    assertThat(kernelOld.path("issuedFormat").asText()).isEqualTo("date-only");
    assertThat(patches.get(roles.get("security:kernel:old")).issued())
        .as("a date alone is 00:00 UTC, not 1970").isEqualTo(Instant.parse(kernelOld.path("issued").asText() + "T00:00:00Z"));
    assertThat(patches.get(roles.get("security:ntp")).severity()).as("lowercase severity").isEqualTo("IMPORTANT");
    assertThat(patches.get(roles.get("other:tzdata")).category()).as("unknown type").isEqualTo("UNSPECIFIED");
    assertThat(patches.get(roles.get("bugfix:libyaml")).issued()).as("epoch seconds")
        .isEqualTo(Instant.ofEpochSecond(advisory("quirks", roles.get("bugfix:libyaml")).path("issued").asLong()));
    assertThat(patches.get(roles.get("security:kernel:new")).packages())
        .extracting(HostReport.Package::installed)
        .as("the highest of the three installed kernels").allSatisfy(v -> assertThat(v).startsWith("5.10.0-120."));
  }

  static JsonNode advisory(String profile, String id) {
    for (JsonNode a : fleet.manifest(profile).path("advisories")) {
      if (a.path("id").asText().equals(id)) {
        return a;
      }
    }
    throw new AssertionError("no advisory " + id);
  }

  @Test
  void aStoppedHostIsUnreachableAndKeepsItsLastReport() {
    LabFleet.Host h = fleet.hostIn("demo", "missing-all");
    long id = hostIds.get(h.index());
    scans.scanHost(new ScanRequest(id, baseline.id(), null));
    HostReport before = reports.newest(id).orElseThrow();
    fleet.stop(h.index());
    try {
      assertThatThrownBy(() -> scans.scanHost(new ScanRequest(id, baseline.id(), null)))
          .isInstanceOfSatisfying(ApplicationFailure.class, f -> {
            assertThat(f.getType()).isEqualTo("UNREACHABLE");
            assertThat(f.isNonRetryable()).as("a host that is down may come back").isFalse();
          });
      assertThat(hosts.get(id).lastError().kind()).isEqualTo("UNREACHABLE");
      assertThat(reports.newest(id)).contains(before);
    } finally {
      fleet.start(h.index());
    }
    scans.scanHost(new ScanRequest(id, baseline.id(), null));
    assertThat(hosts.get(id).lastError()).as("a success clears the error").isNull();
  }

  @Test
  void garbageOutputIsARecordedUnparseableFailureAndNoHalfReport() {
    LabFleet.Host h = fleet.hostIn("demo", "patched");
    long id = hostIds.get(h.index());
    scans.scanHost(new ScanRequest(id, baseline.id(), null));
    HostReport before = reports.newest(id).orElseThrow();
    // an rpm that prints nonsense, inside this lab host only
    assertThat(fleet.ssh(h.index(), "mv /usr/bin/rpm /usr/bin/rpm.real && printf '#!/bin/sh\\necho \"%s\"\\n' "
        + "'kernel|x|y' > /usr/bin/rpm && chmod 755 /usr/bin/rpm").ok()).isTrue();
    try {
      assertThatThrownBy(() -> scans.scanHost(new ScanRequest(id, baseline.id(), null)))
          .isInstanceOfSatisfying(ApplicationFailure.class, f -> {
            assertThat(f.getType()).isEqualTo("OUTPUT_UNPARSEABLE");
            assertThat(f.isNonRetryable()).isTrue();
            assertThat(f.getOriginalMessage()).contains("rpm -qa line 1");
          });
      assertThat(hosts.get(id).lastError().message()).contains("rpm -qa line 1");
      assertThat(reports.newest(id)).as("the last good report is untouched").contains(before);
    } finally {
      fleet.ssh(h.index(), "mv /usr/bin/rpm.real /usr/bin/rpm");
    }
  }

  @Test
  void aWrongKeyIsRefusedAsAuthFailed(@TempDir Path dir) throws Exception {
    LabFleet.Host h = fleet.hostIn("demo", "pending-reboot");
    Path wrongKey = dir.resolve("id_wrong");
    Process p = new ProcessBuilder("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", wrongKey.toString()).start();
    assertThat(p.waitFor()).isZero();
    Host host = hosts.create(new HostSpec("wrong-key", h.address(), h.port(), "root", wrongKey.toString(), null,
        OsFamily.HCE, null, null));
    assertThatThrownBy(() -> scans.scanHost(new ScanRequest(host.id(), baseline.id(), null)))
        .isInstanceOfSatisfying(ApplicationFailure.class, f -> {
          assertThat(f.getType()).isEqualTo("AUTH_FAILED");
          assertThat(f.isNonRetryable()).isTrue();
        });
    assertThat(hosts.get(host.id()).lastError().kind()).isEqualTo("AUTH_FAILED");
    assertThat(reports.newest(host.id())).isEmpty();
    Files.deleteIfExists(wrongKey);
  }

  @Test
  void strictPolicyRefusesAKeyItHasNotRecorded() {
    LabFleet.Host h = fleet.hostIn("demo", "patched");
    var strict = new io.patchloop.hostaccess.SshHostAccess(knownHosts,
        new io.patchloop.hostaccess.SshProperties(io.patchloop.hostaccess.HostKeyPolicy.STRICT,
            java.time.Duration.ofSeconds(5), 1 << 20));
    var target = new io.patchloop.hostaccess.HostTarget(h.address(), h.port(), "root", fleet.keyPath(), null, null);
    var recorded = knownHosts.find(h.address(), h.port());
    knownHosts.forget(h.address(), h.port());
    try {
      assertThatThrownBy(() -> strict.open(target))
          .isInstanceOfSatisfying(io.patchloop.hostaccess.HostAccessException.class, e -> {
            assertThat(e.kind()).isEqualTo(io.patchloop.workflows.host.HostErrorKind.HOST_KEY_REFUSED);
            assertThat(e.getMessage()).contains("STRICT").contains("SHA256:");
          });
      assertThat(knownHosts.find(h.address(), h.port())).as("STRICT records nothing").isEmpty();
    } finally {
      recorded.ifPresent(k -> knownHosts.replace(h.address(), h.port(), k));
    }
  }

  @Test
  void aChangedHostKeyIsRefusedNamingBothFingerprints() {
    LabFleet.Host h = fleet.hostIn("demo", "rejectable");
    long id = hostIds.get(h.index());
    scans.scanHost(new ScanRequest(id, baseline.id(), null));
    var real = knownHosts.find(h.address(), h.port()).orElseThrow();
    // pretend we had recorded another key for this address before: the host now "changed" its key
    var other = new KnownHostKeyStore.KnownKey("ssh-ed25519", "SHA256:Zm9yZ2VkZm9yZ2VkZm9yZ2VkZm9yZ2VkZm9yZ2VkZm8",
        "AAAAC3NzaC1lZDI1NTE5AAAAIBd0b3RhbGx5LWEtZGlmZmVyZW50LWtleS0wMDAwMDA=");
    knownHosts.replace(h.address(), h.port(), other);
    try {
      assertThatThrownBy(() -> scans.scanHost(new ScanRequest(id, baseline.id(), null)))
          .isInstanceOfSatisfying(ApplicationFailure.class, f -> {
            assertThat(f.getType()).isEqualTo("HOST_KEY_REFUSED");
            assertThat(f.getOriginalMessage()).contains("HOST KEY CHANGED").contains(other.fingerprint())
                .contains(real.fingerprint());
          });
      assertThat(hosts.get(id).lastError().kind()).isEqualTo("HOST_KEY_REFUSED");
    } finally {
      knownHosts.replace(h.address(), h.port(), real);
    }
  }
}
