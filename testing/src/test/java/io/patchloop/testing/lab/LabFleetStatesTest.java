package io.patchloop.testing.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.patchloop.testing.lab.LabFleet.Host;
import io.patchloop.testing.lab.LabFleet.Result;
import java.net.ConnectException;
import java.net.Socket;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Each intended host state of the lab is really there, as the profile manifests describe it. */
class LabFleetStatesTest {

  @RegisterExtension
  static LabFleet fleet = LabFleet.builder().hosts(5).profile("demo").and("quirks", 2).build();

  private static final String NEWEST_KERNEL =
      "rpm -q kernel-core --qf '%{VERSION}-%{RELEASE}.%{ARCH}\\n' | sort -V | tail -n1";

  @Test
  void everyHostIsItsOwnMachineWithTheRecordedFlavour() {
    for (Host h : fleet.hosts()) {
      Result r = fleet.ssh(h.index(), ". /etc/os-release && echo \"$ID $VERSION_ID\" && hostname");
      assertThat(r.lines()).as(h.name()).containsExactly(h.osId() + " " + h.osVersion(), h.name());
      assertThat(h.address()).isEqualTo("127.0.0.1");
      assertThat(h.port()).isEqualTo(fleet.portBase() + h.index());
    }
    assertThat(fleet.hosts()).extracting(Host::osFamily).contains("HCE", "CENTOS", "EULEROS", "OPENEULER");
    assertThat(fleet.keyPath()).exists();
  }

  @Test
  void patchedHostHasNoAdvisoryAvailableAndNothingToUpgrade() {
    Host h = fleet.hostIn("demo", "patched");
    Result list = fleet.ssh(h.index(), "dnf -q updateinfo list --available");
    assertThat(list.exitCode()).isZero();
    assertThat(list.lines()).isEmpty();
    assertThat(fleet.ssh(h.index(), "dnf -q check-update").exitCode()).as("check-update exits 100 on updates")
        .isZero();
  }

  @ParameterizedTest
  @ValueSource(strings = {"missing-some", "rejectable", "missing-all"})
  void missingHostListsExactlyTheAdvisoriesOfItsManifest(String state) {
    Host h = fleet.hostIn("demo", state);
    JsonNode expected = fleet.expected("demo", state);
    Set<String> want = new TreeSet<>();
    expected.path("updateinfoAvailable").forEach(p -> want.add(p.path("advisory").asText() + " "
        + p.path("nevra").asText()));
    Set<String> ids = new TreeSet<>();
    expected.path("advisoriesAvailable").forEach(id -> ids.add(id.asText()));

    Set<String> got = pairs(fleet.ssh(h.index(), "dnf -q updateinfo list --available"));

    assertThat(want).isNotEmpty();
    assertThat(got).isEqualTo(want);
    Set<String> gotIds = got.stream().map(p -> p.split(" ")[0]).collect(Collectors.toCollection(TreeSet::new));
    assertThat(gotIds).isEqualTo(ids);
    assertThat(fleet.ssh(h.index(), "dnf -q check-update").exitCode()).isEqualTo(100);
  }

  @Test
  void rejectableHostHasThePackageABaselineRejects() {
    Host rejectable = fleet.hostIn("demo", "rejectable");
    assertThat(fleet.expected("demo", "rejectable").path("rejectablePackages").get(0).asText()).isEqualTo("telnet");
    assertThat(fleet.ssh(rejectable.index(), "rpm -q telnet").exitCode()).isZero();
    assertThat(fleet.ssh(fleet.hostIn("demo", "missing-some").index(), "rpm -q telnet").exitCode()).isNotZero();
  }

  @Test
  void pendingRebootHostRunsAnOlderKernelUntilRebooted() {
    Host h = fleet.hostIn("demo", "pending-reboot");
    JsonNode expected = fleet.expected("demo", "pending-reboot");
    String running = fleet.ssh(h.index(), "uname -r").stdout().strip();
    String newest = fleet.ssh(h.index(), NEWEST_KERNEL).stdout().strip();
    String bootTime = fleet.ssh(h.index(), "stat -c %Y /proc/1").stdout().strip();

    assertThat(running).isEqualTo(expected.path("runningKernel").asText()).isNotEqualTo(newest);
    assertThat(newest).isEqualTo(expected.path("newestInstalledKernel").asText());
    assertThat(fleet.ssh(h.index(), "dnf needs-restarting -r").exitCode()).isEqualTo(1);

    fleet.reboot(h.index());

    assertThat(fleet.ssh(h.index(), "uname -r").stdout().strip()).isEqualTo(newest);
    assertThat(fleet.ssh(h.index(), "dnf needs-restarting -r").exitCode()).isZero();
    assertThat(Long.parseLong(fleet.ssh(h.index(), "stat -c %Y /proc/1").stdout().strip()))
        .isGreaterThan(Long.parseLong(bootTime));
  }

  @ParameterizedTest
  @ValueSource(strings = {"missing-some", "missing-all"})
  void quirksHostKeepsSeveralKernelsAndAnUpgradeThatFails(String state) {
    Host h = fleet.hostIn("quirks", state);
    JsonNode expected = fleet.expected("quirks", state);

    assertThat(fleet.ssh(h.index(), "rpm -q kernel-core").lines())
        .hasSize(expected.path("kernelsInstalled").size()).hasSizeGreaterThanOrEqualTo(3);

    Set<String> want = new TreeSet<>();
    expected.path("updateinfoAll").forEach(p -> want.add((p.path("installed").asBoolean() ? "i " : "")
        + p.path("advisory").asText() + " " + p.path("nevra").asText()));
    assertThat(pairs(fleet.ssh(h.index(), "dnf -q updateinfo list --all"))).isEqualTo(want);

    Result upgrade = fleet.ssh(h.index(), "dnf -y upgrade legacy-agent");
    assertThat(upgrade.exitCode()).isNotZero();
    assertThat(upgrade.stdout() + upgrade.stderr()).contains("scriptlet failed");
    assertThat(fleet.ssh(h.index(), "rpm -q legacy-agent").stdout()).startsWith("legacy-agent-1.0-");
  }

  @Test
  void stoppedHostRefusesConnectionsUntilStarted() throws Exception {
    Host h = fleet.hostIn("demo", "missing-all");
    fleet.stop(h.index());
    try {
      assertThat(fleet.running(h.index())).isFalse();
      assertThatThrownBy(() -> new Socket(h.address(), h.port()).close()).isInstanceOf(ConnectException.class);
    } finally {
      fleet.start(h.index());
    }
    assertThat(fleet.running(h.index())).isTrue();
    assertThat(fleet.ssh(h.index(), "hostname").stdout().strip()).isEqualTo(h.name());
  }

  /** "ID NEVRA" per line of `dnf updateinfo list`, prefixed "i " where --all marks it installed. */
  private static Set<String> pairs(Result r) {
    assertThat(r.exitCode()).as(r.stderr()).isZero();
    Set<String> out = new TreeSet<>();
    for (String line : r.lines()) {
      boolean installed = line.startsWith("i ");
      String[] f = line.strip().split("\\s+");
      int first = installed ? 1 : 0;
      out.add((installed ? "i " : "") + f[first] + " " + f[f.length - 1]);
    }
    return out;
  }
}
