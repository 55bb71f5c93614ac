package io.patchloop.collect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.patchloop.hostaccess.HostAccessException;
import io.patchloop.inventory.HostInventory;
import io.patchloop.inventory.InstalledPackage;
import io.patchloop.workflows.host.HostErrorKind;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The collector's parsing, on real output captured from lab hosts and on yum-shaped output. */
class RpmCollectorParseTest {

  static final String NONCE = "0123456789abcdef";

  /**
   * Rebuilds the collector script's framed output from the separately captured command outputs of
   * one host: every enabled repository has fresh metadata (an hour old), the one in {@code cacheDir}
   * with updateinfo, the others without.
   */
  static String framed(String dir, String packageManager, String repos, String cacheDir, String xml) {
    StringBuilder metadata = new StringBuilder();
    for (String line : repos.split("\n")) {
      String repo = line.strip().replaceFirst("/.*$", "").replaceFirst("^!", "");
      if (!repo.isEmpty() && !repo.equals(CachedRepo.repoOf(cacheDir))) {
        metadata.append(repo).append(" 3600 0\n");
      }
    }
    metadata.append(cacheDir).append(" 3600 1\n").append("stale-repo-0123456789abcdef 99999999 1\n");
    return framed(dir, packageManager, repos, metadata.toString(), cacheDir, xml);
  }

  static String framed(String dir, String packageManager, String repos, String metadata, String cacheDir, String xml) {
    StringBuilder out = new StringBuilder();
    section(out, "os-release", Fixtures.read(dir + "/os-release.txt"));
    section(out, "uname", Fixtures.read(dir + "/uname-r.txt"));
    section(out, "boot", "1795754918\n1795754884\n34.24\n");
    section(out, "package-manager", packageManager + "\n");
    section(out, "makecache", "exit=0\n");
    section(out, "repos", repos);
    section(out, "rpm", Fixtures.read(dir + "/rpm-qa.txt"));
    section(out, "kernels", "kernel-core\nkernel\n");
    section(out, "needs-restarting", "exit=" + Fixtures.read(dir + "/needs-restarting-r.rc").strip() + "\n");
    section(out, "metadata", metadata);
    if (xml != null) {
      section(out, "updateinfo " + cacheDir, xml);
    }
    section(out, "updateinfo stale-repo-0123456789abcdef", Fixtures.read("bulk/updateinfo.xml"));
    section(out, "end", "");
    return out.toString();
  }

  static void section(StringBuilder out, String name, String body) {
    out.append('\n').append(CollectorScript.MARKER_PREFIX).append(NONCE).append(' ').append(name).append("@@\n").append(body);
  }

  @Test
  void parsesADnfHostAndIgnoresMetadataOfDisabledRepositories() {
    String text = framed("demo/pending-reboot", "dnf", "lab-demo\n", "lab-demo-79e8e645370cfd6d",
        Fixtures.read("demo/updateinfo.xml"));
    HostInventory inv = RpmCollector.parse(CollectorOutput.split(text, NONCE));
    assertThat(inv.osId()).isEqualTo("openEuler");
    assertThat(inv.product()).isEqualTo("openEuler 22.03");
    assertThat(inv.runningKernel()).isEqualTo(Fixtures.read("demo/pending-reboot/uname-r.txt").strip());
    assertThat(inv.needsRestarting()).isTrue();
    assertThat(inv.bootTime()).isEqualTo(Instant.ofEpochSecond(1795754884));
    assertThat(inv.kernelPackageNames()).containsExactly("kernel-core", "kernel");
    assertThat(inv.packages()).extracting(InstalledPackage::name).contains("openssl", "kernel-core", "tzdata");
    assertThat(inv.packages()).filteredOn(p -> p.name().equals("kernel-core")).hasSizeGreaterThanOrEqualTo(2);
    assertThat(inv.advisories()).as("only the enabled repository's advisories, not the stale bulk ones")
        .allSatisfy(a -> assertThat(a.id()).startsWith("HCE2-"));
  }

  @Test
  void parsesAQuirksHostWithEpochsCaretsAndSeveralKernels() {
    String text = framed("quirks/missing-some", "dnf", "lab-quirks\n", "lab-quirks-0011223344556677",
        Fixtures.read("quirks/updateinfo.xml"));
    HostInventory inv = RpmCollector.parse(CollectorOutput.split(text, NONCE));
    assertThat(inv.packages()).filteredOn(p -> p.name().equals("kernel-core")).hasSize(3);
    assertThat(inv.packages()).anySatisfy(p -> assertThat(p.evr().epoch()).isPositive());
    assertThat(inv.packages()).anySatisfy(p -> assertThat(p.arch()).isEqualTo("noarch"));
    assertThat(inv.needsRestarting()).isFalse();
  }

  @Test
  void parsesYumRepositoryIdsAndCacheLayout() {
    // yum prints repo ids with their path ("base/7/x86_64") and keeps updateinfo directly in /var/cache/yum/<arch>/<ver>/<repo>/
    String text = framed("demo/missing-some", "yum", "base/7/x86_64\n!updates/7/x86_64\n", "updates",
        Fixtures.read("demo/updateinfo.xml"));
    HostInventory inv = RpmCollector.parse(CollectorOutput.split(text, NONCE));
    assertThat(inv.advisories()).isNotEmpty();
  }

  @Test
  void aForgedMarkerWithoutOurNonceIsJustContent() {
    // on a line of its own inside a value, as a hostile repository would put it
    String xml = Fixtures.read("demo/updateinfo.xml")
        .replace("<title>", "<title>\n" + CollectorScript.MARKER_PREFIX + "ffffffffffffffff end@@\n");
    String forged = framed("demo/pending-reboot", "dnf", "lab-demo\n", "lab-demo-79e8e645370cfd6d", xml);
    HostInventory inv = RpmCollector.parse(CollectorOutput.split(forged, NONCE));
    assertThat(inv.advisories()).isNotEmpty()
        .allSatisfy(a -> assertThat(a.title()).contains("ffffffffffffffff end@@"));
  }

  @Test
  void cutOutputIsUnparseable() {
    String text = framed("demo/patched", "dnf", "lab-demo\n", "x", "<updates/>");
    String cut = text.substring(0, text.indexOf("@@\n", text.indexOf(" rpm@@")) + 40);
    assertThatThrownBy(() -> CollectorOutput.split(cut, NONCE))
        .isInstanceOfSatisfying(HostAccessException.class, e -> assertThat(e.kind()).isEqualTo(HostErrorKind.OUTPUT_UNPARSEABLE))
        .hasMessageContaining("ended early");
  }

  @Test
  void garbageRpmOutputNamesTheLine() {
    assertThatThrownBy(() -> RpmQaParser.parse("bash|(none)|5.1|1|x86_64|1700000000\nrm -rf /|x\n"))
        .isInstanceOfSatisfying(HostAccessException.class, e -> assertThat(e.kind()).isEqualTo(HostErrorKind.OUTPUT_UNPARSEABLE))
        .hasMessageContaining("line 2");
    assertThatThrownBy(() -> RpmQaParser.parse("bash;id|(none)|5.1|1|x86_64|1700000000\n"))
        .hasMessageContaining("characters rpm does not allow");
  }

  @Test
  void readsEveryFlavourOfOsRelease() {
    assertThat(OsRelease.parse(Fixtures.read("demo/missing-some/os-release.txt")).product()).isEqualTo("HCE 2.0");
    assertThat(OsRelease.parse(Fixtures.read("demo/patched/os-release.txt")).product()).startsWith("CentOS ");
    assertThat(OsRelease.parse(Fixtures.read("quirks/missing-all/os-release.txt")).product()).isEqualTo("EulerOS 2.0");
    assertThat(OsRelease.parse("ID=ubuntu\nVERSION_ID=\"22.04\"\nNAME=\"Ubuntu\"\n").product()).isEqualTo("Ubuntu 22.04");
  }

  @Test
  void needsRestartingAndBootTime() {
    assertThat(RpmCollector.needsRestarting("exit=1\n")).isTrue();
    assertThat(RpmCollector.needsRestarting("exit=0\n")).isFalse();
    assertThat(RpmCollector.needsRestarting("exit=unavailable\n")).isNull();
    assertThat(RpmCollector.bootTime("1000\n900\n50.5\n")).as("the later of pid 1 and now - uptime")
        .isEqualTo(Instant.ofEpochSecond(950));
    assertThatThrownBy(() -> RpmCollector.bootTime("x\n")).isInstanceOf(HostAccessException.class);
  }

  // ---------------------------------------------------------------- fail closed

  static HostAccessException unavailable(String text) {
    try {
      RpmCollector.parse(CollectorOutput.split(text, NONCE));
    } catch (HostAccessException e) {
      assertThat(e.kind()).as(e.getMessage()).isEqualTo(HostErrorKind.METADATA_UNAVAILABLE);
      return e;
    }
    throw new AssertionError("no METADATA_UNAVAILABLE");
  }

  @Test
  void reportsTheAgeOfTheOldestEnabledRepositorysMetadata() {
    String text = framed("demo/missing-some", "dnf", "lab-demo\nextras\n",
        "lab-demo-79e8e645370cfd6d 3600 1\nextras-0011223344556677 700000 0\n"
            + "extras-8899aabbccddeeff 90000 0\nstale-repo-0123456789abcdef 99999999 1\n",
        "lab-demo-79e8e645370cfd6d", Fixtures.read("demo/updateinfo.xml"));
    HostInventory inv = RpmCollector.parse(CollectorOutput.split(text, NONCE));
    assertThat(inv.metadataAgeSeconds()).as("extras's freshest cache directory; disabled repositories do not count")
        .isEqualTo(90000);
    assertThat(inv.advisories()).isNotEmpty();
  }

  @Test
  void anEnabledRepositoryWithoutCachedMetadataFailsClosed() {
    // the lab repro: the repository's URL points nowhere and 'dnf clean all' emptied the cache
    String text = framed("demo/missing-some", "dnf", "lab-demo\n", "stale-repo-0123456789abcdef 99999999 1\n",
        "lab-demo-79e8e645370cfd6d", null);
    String out = text.replace("exit=0\n", "Error: Failed to download metadata for repo 'lab-demo'\nexit=1\n");
    assertThat(unavailable(out).getMessage()).contains("lab-demo: no cached metadata")
        .contains("Failed to download metadata for repo 'lab-demo'");
  }

  @Test
  void updateInfoListedButMissingFailsClosed() {
    String text = framed("demo/missing-some", "dnf", "lab-demo\n", "lab-demo-79e8e645370cfd6d 60 1\n",
        "lab-demo-79e8e645370cfd6d", null);
    assertThat(unavailable(text).getMessage()).contains("lab-demo: its repomd.xml lists updateinfo, but the file is not");
  }

  @Test
  void aRepositoryWithoutAdvisoriesIsNoFault() {
    String text = framed("demo/missing-some", "dnf", "lab-demo\n", "lab-demo-79e8e645370cfd6d 60 0\n",
        "lab-demo-79e8e645370cfd6d", null);
    HostInventory inv = RpmCollector.parse(CollectorOutput.split(text, NONCE));
    assertThat(inv.advisories()).isEmpty();
    assertThat(inv.metadataAgeSeconds()).isEqualTo(60);
  }

  @Test
  void truncatedUpdateInfoFailsClosed() {
    String xml = Fixtures.read("demo/updateinfo.xml");
    String text = framed("demo/missing-some", "dnf", "lab-demo\n", "lab-demo-79e8e645370cfd6d",
        xml.substring(0, xml.length() / 2));
    assertThat(unavailable(text).getMessage()).contains("lab-demo: its updateinfo cannot be read");
  }

  @Test
  void noEnabledRepositoryFailsClosed() {
    String text = framed("demo/missing-some", "dnf", "", "", "lab-demo-79e8e645370cfd6d", null);
    assertThat(unavailable(text).getMessage()).contains("no repository is enabled");
  }

  @Test
  void metadataInACacheTheCollectorDoesNotKnowIsNoMetadata() {
    // dnf 5 keeps its cache in /var/cache/libdnf5: the script looks there too; a cache elsewhere
    // leaves the repository without metadata, which fails the scan instead of emptying the report
    String text = framed("demo/missing-some", "dnf", "lab-demo\n", "", "lab-demo-79e8e645370cfd6d", null);
    assertThat(unavailable(text).getMessage()).contains("lab-demo: no cached metadata");
    assertThat(CollectorScript.forNonce(NONCE).line()).contains("/var/cache/libdnf5");
  }

  @Test
  void metadataLinesOfAnUnexpectedShapeMatchNoRepository() {
    assertThat(CachedRepo.parse("lab-demo-79e8e645370cfd6d 12 1\n$(reboot) 1 1\nx y z\nbase -5 0\n"))
        .containsExactly(new CachedRepo("lab-demo-79e8e645370cfd6d", 12, true), new CachedRepo("base", 0, false));
  }
}
