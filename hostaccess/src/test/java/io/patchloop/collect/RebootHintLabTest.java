package io.patchloop.collect;

import static org.assertj.core.api.Assertions.assertThat;

import io.patchloop.inventory.InstalledPackage;
import io.patchloop.testing.lab.LabFleet;
import io.patchloop.testing.lab.LabFleet.Host;
import io.patchloop.testing.lab.LabFleet.Result;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link RebootHint} gives the answer of the real {@code dnf needs-restarting -r} on lab hosts, read
 * in the same SSH call as the packages, boot time and needs-restarting.d files it is computed from:
 * every demo state, a host rebooted after its kernel update, and packages named in conf files.
 *
 * <p>The lab's dnf-plugins-core is 4.3.1, whose boot time is the mtime of /proc/1 alone, so that is
 * the boot time given to RebootHint here ({@link BootReading#initStartSeconds()}).
 * {@link BootReading#bootTime()} also takes the clock minus the uptime (dnf-plugins-core 4.4's rule),
 * from a truncated clock, as its lower bound (it once came out one second late, and hid a package
 * installed in the second after PID 1's start: FastCollectorLabTest's pending-reboot host).
 *
 * <p>The tests change hosts (upgrades, conf files, a reboot), so they run in order: the first one
 * sees the demo states as provisioned.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RebootHintLabTest {

  @RegisterExtension
  static LabFleet fleet = LabFleet.builder().hosts(5).profile("demo").build();

  private static final String CONF_DIR = "/etc/dnf/plugins/needs-restarting.d";
  private static final String MARK = "@@reboothint:";

  /**
   * Everything RebootHint needs and dnf's own answer, in one command so that nothing changes between
   * them. Conf files travel in base64 so that their whitespace and line breaks arrive as written;
   * find (not a glob) so that hidden files are seen, as dnf's os.listdir sees them.
   */
  private static final String SNAPSHOT = String.join("\n",
      "echo '" + MARK + "rpm'",
      "rpm -qa --qf '%{NAME}|%{EPOCH}|%{VERSION}|%{RELEASE}|%{ARCH}|%{INSTALLTIME}\\n'",
      "echo '" + MARK + "boot'",
      "date +%s; stat -c %Y /proc/1; cut -d' ' -f1 /proc/uptime",
      "find " + CONF_DIR + " -mindepth 1 -maxdepth 1 -type f -printf '%f\\n' | while IFS= read -r f; do",
      "  echo \"" + MARK + "file $f\"; base64 -w0 < \"" + CONF_DIR + "/$f\"; echo",
      "done",
      "echo '" + MARK + "dnf'",
      "dnf -q needs-restarting -r >/dev/null 2>&1; echo $?");

  /** One reading of a host. */
  record Snapshot(List<InstalledPackage> installed, BootReading boot, Map<String, String> confFiles, int dnfExit) {

    /** dnf-plugins-core 4.3.1's boot time: int(os.stat('/proc/1').st_mtime). */
    Instant dnfBootTime() {
      return Instant.ofEpochSecond(boot.initStartSeconds());
    }

    RebootHint.Result hint() {
      return RebootHint.evaluate("dnf", installed, dnfBootTime(), confFiles);
    }

    /** needs-restarting -r exits 1 when a reboot is needed, 0 when not. */
    boolean dnfSaysReboot() {
      assertThat(dnfExit).as("needs-restarting -r exit code").isIn(0, 1);
      return dnfExit == 1;
    }
  }

  static Snapshot snapshot(int index) {
    Result r = fleet.ssh(index, SNAPSHOT);
    assertThat(r.exitCode()).as(r.stderr()).isZero();
    Map<String, StringBuilder> sections = new TreeMap<>();
    StringBuilder current = null;
    for (String line : r.stdout().split("\n", -1)) {
      if (line.startsWith(MARK)) {
        current = new StringBuilder();
        sections.put(line.substring(MARK.length()), current);
      } else if (current != null) {
        current.append(line).append('\n');
      }
    }
    Map<String, String> conf = new TreeMap<>();
    sections.forEach((name, body) -> {
      if (name.startsWith("file ")) {
        conf.put(name.substring(5), new String(Base64.getDecoder().decode(body.toString().strip()),
            StandardCharsets.UTF_8));
      }
    });
    assertThat(sections).containsKeys("rpm", "boot", "dnf");
    return new Snapshot(RpmQaParser.parse(sections.get("rpm").toString()),
        BootReading.parse(sections.get("boot").toString()), conf,
        Integer.parseInt(sections.get("dnf").toString().strip()));
  }

  /** Asserts that RebootHint and dnf agree on the host and returns the reading. */
  static Snapshot agreeing(Host h) {
    Snapshot s = snapshot(h.index());
    assertThat(s.hint().needed()).as("%s (%s): RebootHint %s, dnf exit %d", h.name(), h.intendedState(),
        s.hint(), s.dnfExit()).isEqualTo(s.dnfSaysReboot());
    return s;
  }

  @Test
  @Order(1)
  void everyDemoStateGetsDnfsAnswer() {
    List<Boolean> answers = new ArrayList<>();
    for (Host h : fleet.hosts()) {
      Snapshot s = agreeing(h);
      boolean expected = fleet.expected("demo", h.intendedState()).path("needsReboot").asBoolean();
      assertThat(s.hint().needed()).as(h.intendedState()).isEqualTo(expected);
      assertThat(s.confFiles()).as("the lab lists kernel-core").containsEntry("kernel-core.conf", "kernel-core\n");
      answers.add(s.hint().needed());
    }
    assertThat(answers).contains(true, false);

    Snapshot pending = snapshot(fleet.hostIn("demo", "pending-reboot").index());
    // kernel from dnf's own list, kernel-core only through the lab's conf file
    assertThat(pending.hint().packages()).containsExactly("kernel", "kernel-core");
    assertThat(RebootHint.evaluate("dnf", pending.installed(), pending.dnfBootTime(), Map.of()).packages())
        .containsExactly("kernel");
  }

  @Test
  @Order(2)
  void aHostRebootedAfterItsKernelUpdateNeedsNoMoreReboot() {
    Host h = fleet.hostIn("demo", "pending-reboot");
    Snapshot before = agreeing(h);
    assertThat(before.hint().needed()).isTrue();

    fleet.reboot(h.index());

    Snapshot after = agreeing(h);
    assertThat(after.dnfBootTime()).isAfter(before.dnfBootTime());
    assertThat(after.hint()).isEqualTo(new RebootHint.Result(false, List.of()));
    // the same packages judged against the old boot time would still need one: the boot time decides
    assertThat(RebootHint.evaluate("dnf", after.installed(), before.dnfBootTime(), after.confFiles()).needed())
        .isTrue();
  }

  @Test
  @Order(3)
  void aPackageNamedInAConfFileAndInstalledAfterBootNeedsAReboot() {
    Host h = fleet.hostIn("demo", "missing-some");
    assertThat(fleet.ssh(h.index(), "dnf -y -q upgrade nginx").exitCode()).isZero();

    Snapshot unlisted = agreeing(h);
    assertThat(unlisted.hint().needed()).as("nginx is on no list yet").isFalse();
    assertThat(installTime(unlisted, "nginx")).isAfter(unlisted.dnfBootTime());

    writeConf(h, "web.conf", "nginx\\n");
    Snapshot listed = agreeing(h);
    assertThat(listed.hint()).isEqualTo(new RebootHint.Result(true, List.of("nginx")));
  }

  @Test
  @Order(4)
  void confFileLinesAreReadAsDnfReadsThem() {
    Host h = fleet.hostIn("demo", "missing-all");
    assertThat(fleet.ssh(h.index(), "dnf -y -q upgrade sudo").exitCode()).isZero();

    // leading whitespace, a comment, a name installed nowhere, blank lines; a backup file: no reboot
    writeConf(h, "lead.conf", "  sudo\\n\\tsudo\\n# sudo\\nno-such-package\\n\\n\\n");
    writeConf(h, "sudo.conf.rpmsave", "sudo\\n");
    assertThat(agreeing(h).hint().needed()).isFalse();

    // trailing whitespace and a CRLF line break are stripped: sudo counts
    writeConf(h, "trail.conf", "sudo \\t\\r\\n");
    assertThat(agreeing(h).hint()).isEqualTo(new RebootHint.Result(true, List.of("sudo")));

    // a hidden *.conf file is read too
    assertThat(fleet.ssh(h.index(), "rm " + CONF_DIR + "/trail.conf").exitCode()).isZero();
    assertThat(agreeing(h).hint().needed()).isFalse();
    writeConf(h, ".sudo.conf", "sudo");
    assertThat(agreeing(h).hint()).isEqualTo(new RebootHint.Result(true, List.of("sudo")));
  }

  /** Writes a conf file with printf; {@code content} is a printf format of our own, not host data. */
  private static void writeConf(Host h, String name, String content) {
    Result r = fleet.ssh(h.index(), "printf '" + content + "' > " + CONF_DIR + "/" + name);
    assertThat(r.exitCode()).as(r.stderr()).isZero();
  }

  private static Instant installTime(Snapshot s, String name) {
    return s.installed().stream().filter(p -> p.name().equals(name)).map(InstalledPackage::installedAt)
        .max(Instant::compareTo).orElseThrow();
  }
}
