package io.patchloop.collect;

import static org.assertj.core.api.Assertions.assertThat;

import io.patchloop.inventory.InstalledPackage;
import io.patchloop.rpm.Evr;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link RebootHint} against the rules read in dnf-plugins-core 4.3.1 plugins/needs_restarting.py
 * and yum-utils needs-restarting.py: the lists, the conf files, the strict comparison in whole
 * seconds.
 */
class RebootHintTest {

  static final Instant BOOT = Instant.ofEpochSecond(1_764_000_000L);
  static final Instant BEFORE = BOOT.minusSeconds(3600);
  static final Instant AFTER = BOOT.plusSeconds(1);

  /** A host whose packages were all installed before boot: nothing on any list triggers. */
  static List<InstalledPackage> baseHost() {
    List<InstalledPackage> host = new ArrayList<>();
    for (String name : List.of("bash", "openssl", "kernel", "kernel-core", "glibc", "systemd", "udev", "gnutls",
        "openssl-libs", "microcode_ctl", "dbus", "nginx")) {
      host.add(pkg(name, BEFORE));
    }
    return host;
  }

  static InstalledPackage pkg(String name, Instant installedAt) {
    return new InstalledPackage(name, new Evr(0, "1.0", "1"), "x86_64", installedAt);
  }

  static List<InstalledPackage> with(InstalledPackage extra) {
    List<InstalledPackage> host = baseHost();
    host.add(extra);
    return host;
  }

  @ParameterizedTest
  @ValueSource(strings = {"kernel", "kernel-rt", "glibc", "linux-firmware", "systemd", "dbus", "dbus-broker",
      "dbus-daemon"})
  void everyPackageOfDnfsListInstalledAfterBootNeedsAReboot(String name) {
    RebootHint.Result r = RebootHint.evaluate("dnf", with(pkg(name, AFTER)), BOOT, Map.of());

    assertThat(r.needed()).isTrue();
    assertThat(r.packages()).containsExactly(name);
    assertThat(RebootHint.needsReboot("dnf", with(pkg(name, AFTER)), BOOT, Map.of())).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"kernel", "glibc", "linux-firmware", "systemd", "udev", "openssl-libs", "gnutls", "dbus"})
  void everyPackageOfYumsListInstalledAfterBootNeedsAReboot(String name) {
    RebootHint.Result r = RebootHint.evaluate("yum", with(pkg(name, AFTER)), BOOT, Map.of());

    assertThat(r.needed()).isTrue();
    assertThat(r.packages()).containsExactly(name);
  }

  @Test
  void theListsDifferWhereTheToolsDiffer() {
    // dnf dropped udev, openssl-libs and gnutls; yum never had kernel-rt or the dbus implementations
    for (String name : List.of("udev", "openssl-libs", "gnutls")) {
      assertThat(RebootHint.needsReboot("dnf", with(pkg(name, AFTER)), BOOT, Map.of())).as(name).isFalse();
    }
    for (String name : List.of("kernel-rt", "dbus-broker", "dbus-daemon")) {
      assertThat(RebootHint.needsReboot("yum", with(pkg(name, AFTER)), BOOT, Map.of())).as(name).isFalse();
    }
    // added only by newer dnf-plugins-core (4.4.3, 4.4.4): not counted, as a 4.3 host does not count them
    for (String name : List.of("kernel-core", "microcode_ctl")) {
      assertThat(RebootHint.needsReboot("dnf", with(pkg(name, AFTER)), BOOT, Map.of())).as(name).isFalse();
    }
  }

  @Test
  void nothingInstalledAfterBootNeedsNoReboot() {
    assertThat(RebootHint.evaluate("dnf", baseHost(), BOOT, Map.of("kernel-core.conf", "kernel-core\n")))
        .isEqualTo(new RebootHint.Result(false, List.of()));
    assertThat(RebootHint.evaluate("yum", baseHost(), BOOT, Map.of()))
        .isEqualTo(new RebootHint.Result(false, List.of()));
  }

  @Test
  void anUnlistedPackageInstalledAfterBootNeedsNoReboot() {
    assertThat(RebootHint.needsReboot("dnf", with(pkg("nginx", AFTER)), BOOT, Map.of())).isFalse();
    assertThat(RebootHint.needsReboot("yum", with(pkg("nginx", AFTER)), BOOT, Map.of())).isFalse();
  }

  @Test
  void installedInTheBootSecondDoesNotCountOneSecondLaterDoes() {
    assertThat(RebootHint.needsReboot("dnf", with(pkg("kernel", BOOT)), BOOT, Map.of())).isFalse();
    assertThat(RebootHint.needsReboot("yum", with(pkg("kernel", BOOT)), BOOT, Map.of())).isFalse();
    assertThat(RebootHint.needsReboot("dnf", with(pkg("kernel", BOOT.plusSeconds(1))), BOOT, Map.of())).isTrue();
  }

  @Test
  void comparesWholeSecondsAsTheToolsDo() {
    // a boot time with a fraction is truncated (int() in needs_restarting.py), so an install in
    // that same second does not count even though it is later by the clock
    Instant bootWithFraction = BOOT.plusMillis(400);
    assertThat(RebootHint.needsReboot("dnf", with(pkg("glibc", BOOT)), bootWithFraction, Map.of())).isFalse();
    assertThat(RebootHint.needsReboot("dnf", with(pkg("glibc", BOOT.plusSeconds(1))), bootWithFraction, Map.of()))
        .isTrue();
  }

  @Test
  void aNameFromAConfFileCountsForDnf() {
    Map<String, String> conf = Map.of("kernel-core.conf", "kernel-core\n");

    RebootHint.Result r = RebootHint.evaluate("dnf", with(pkg("kernel-core", AFTER)), BOOT, conf);

    assertThat(r).isEqualTo(new RebootHint.Result(true, List.of("kernel-core")));
    assertThat(RebootHint.needsReboot("dnf", with(pkg("kernel-core", AFTER)), BOOT, Map.of())).isFalse();
  }

  @Test
  void yumReadsNoConfFiles() {
    assertThat(RebootHint.needsReboot("yum", with(pkg("nginx", AFTER)), BOOT, Map.of("web.conf", "nginx\n")))
        .isFalse();
  }

  @Test
  void onlyConfFilesEndingInDotConfAreRead() {
    List<InstalledPackage> host = with(pkg("nginx", AFTER));
    assertThat(RebootHint.needsReboot("dnf", host, BOOT, Map.of("web.conf.rpmnew", "nginx\n", "web.txt", "nginx",
        "conf", "nginx"))).isFalse();
    assertThat(RebootHint.needsReboot("dnf", host, BOOT, Map.of(".web.conf", "nginx"))).isTrue();
  }

  @Test
  void confFileNamesNotInstalledChangeNothing() {
    Map<String, String> conf = Map.of("extra.conf", "no-such-package\nkernel-core\n");

    assertThat(RebootHint.needsReboot("dnf", baseHost(), BOOT, conf)).isFalse();
    assertThat(RebootHint.evaluate("dnf", with(pkg("systemd", AFTER)), BOOT, conf).packages())
        .containsExactly("systemd");
  }

  @Test
  void trailingWhitespaceAndEveryKindOfLineBreakAreStripped() {
    Map<String, String> conf = Map.of("a.conf", "\n\n   \nnginx \t\r\nsudo\rtelnet\u00a0\n\n", "b.conf", "vim-minimal");

    assertThat(RebootHint.confFileNames(conf)).containsExactlyInAnyOrder("nginx", "sudo", "telnet", "vim-minimal");
    for (String name : List.of("nginx", "sudo", "telnet", "vim-minimal")) {
      assertThat(RebootHint.evaluate("dnf", with(pkg(name, AFTER)), BOOT, conf).packages()).as(name)
          .containsExactly(name);
    }
  }

  @Test
  void leadingWhitespaceAndCommentsNameNoPackage() {
    // dnf strips only the right side of a line and knows no comment syntax
    Map<String, String> conf = Map.of("a.conf", "  nginx\n\tsudo\n# telnet\n#telnet\nnginx # web\n");

    List<InstalledPackage> host = baseHost();
    for (String name : List.of("nginx", "sudo", "telnet")) {
      host.add(pkg(name, AFTER));
    }
    assertThat(RebootHint.evaluate("dnf", host, BOOT, conf)).isEqualTo(new RebootHint.Result(false, List.of()));
  }

  @Test
  void triggeringNamesAreSortedAndDistinct() {
    List<InstalledPackage> host = baseHost();
    host.add(pkg("systemd", AFTER));
    host.add(new InstalledPackage("kernel", new Evr(0, "5.10.0", "182"), "x86_64", AFTER));
    host.add(new InstalledPackage("kernel", new Evr(0, "5.10.0", "190"), "x86_64", AFTER.plusSeconds(5)));
    host.add(new InstalledPackage("glibc", new Evr(0, "2.34", "1"), "i686", AFTER));

    assertThat(RebootHint.evaluate("dnf", host, BOOT, Map.of()).packages())
        .containsExactly("glibc", "kernel", "systemd");
  }

  @Test
  void unknownPackageManagersGetNoAnswer() {
    for (String pm : new String[] {"dnf5", "zypper", "none", "", "DNF"}) {
      assertThat(RebootHint.evaluate(pm, with(pkg("kernel", AFTER)), BOOT, Map.of())).as(pm).isNull();
      assertThat(RebootHint.needsReboot(pm, with(pkg("kernel", AFTER)), BOOT, Map.of())).as(pm).isNull();
    }
    assertThat(RebootHint.needsReboot(null, with(pkg("kernel", AFTER)), BOOT, Map.of())).isNull();
  }

  @Test
  void noConfDirectoryIsLikeAnEmptyOne() {
    assertThat(RebootHint.needsReboot("dnf", with(pkg("kernel", AFTER)), BOOT, null)).isTrue();
    assertThat(RebootHint.needsReboot("dnf", with(pkg("nginx", AFTER)), BOOT, null)).isFalse();
  }
}
