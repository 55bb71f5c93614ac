package io.patchloop.collect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.patchloop.advisories.InMemoryAdvisoryCatalog;
import io.patchloop.advisories.UpdateInfoFile;
import io.patchloop.collect.ReplayedHostSession.Asked;
import io.patchloop.collect.ReplayedHostSession.Reply;
import io.patchloop.hostaccess.HostAccessException;
import io.patchloop.inventory.Advisory;
import io.patchloop.inventory.HostInventory;
import io.patchloop.inventory.InstalledPackage;
import io.patchloop.workflows.host.HostErrorKind;
import io.patchloop.workflows.scan.MetadataRefresh;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.assertj.core.api.AbstractStringAssert;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The rpm collector on real output captured from lab hosts ({@link CapturedHost}, replayed by
 * {@link ReplayedHostSession}) and on a synthesized CentOS 7 yum host ({@link SynthesizedYumHost}):
 * the inventory each captured host's manifest says; the framing (a forged marker, a cut output);
 * the cases where the advisories are unknown and the scan must fail closed; and which commands the
 * collector runs for each metadata refresh policy.
 */
class RpmCollectorParseTest {

  static final ObjectMapper JSON = new ObjectMapper();
  static final CapturedHost DEMO = CapturedHost.refreshed();

  static List<String> manifestStates() {
    return CapturedHost.MANIFEST_STATES;
  }

  // ---------------------------------------------------------------- captured hosts

  /** What the lab's manifest says of a captured host (after a reboot: the newest kernel runs, nothing is pending). */
  record Expected(Set<String> nevras, Set<String> advisoryIds, Set<String> kernelVersions, String runningKernel,
      boolean needsReboot) {

    static Expected of(String dir) {
      String[] parts = dir.split("/");
      JsonNode state;
      try {
        state = JSON.readTree(Fixtures.read(parts[0] + "/manifest.json")).get("states").get(parts[1]);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      boolean afterReboot = parts.length > 2;
      Set<String> advisories = strings(state.get("advisoriesAvailable"));
      advisories.addAll(strings(state.get("advisoriesInstalled")));
      return new Expected(strings(state.get("installed")), advisories, strings(state.get("kernelsInstalled")),
          state.get(afterReboot ? "newestInstalledKernel" : "runningKernel").asText(),
          !afterReboot && state.get("needsReboot").asBoolean());
    }

    private static Set<String> strings(JsonNode array) {
      return StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText)
          .collect(Collectors.toCollection(TreeSet::new));
    }
  }

  static String nevra(InstalledPackage p) {
    return p.name() + "-" + (p.evr().epoch() > 0 ? p.evr().epoch() + ":" : "") + p.evr().version() + "-"
        + p.evr().release() + "." + p.arch();
  }

  static Set<String> ids(HostInventory inv) {
    return inv.advisories().stream().map(Advisory::id).collect(Collectors.toCollection(TreeSet::new));
  }

  @ParameterizedTest
  @MethodSource("manifestStates")
  void aCapturedHostGivesTheInventoryItsManifestSays(String dir) {
    CapturedHost host = CapturedHost.of(dir);
    Expected expected = Expected.of(dir);
    ReplayedHostSession session = host.session();

    HostInventory inv = CapturedHost.collector().collect(session, MetadataRefresh.AUTO);

    assertThat(inv.packages()).extracting(RpmCollectorParseTest::nevra)
        .containsExactlyInAnyOrderElementsOf(expected.nevras());
    assertThat(ids(inv)).as("the advisories of installed packages, installed and available").isNotEmpty()
        .isEqualTo(expected.advisoryIds());
    assertThat(inv.packages()).filteredOn(p -> p.name().equals("kernel-core"))
        .extracting(p -> p.evr().version() + "-" + p.evr().release() + "." + p.arch())
        .containsExactlyInAnyOrderElementsOf(expected.kernelVersions());
    assertThat(inv.kernelPackageNames()).containsExactlyInAnyOrder("kernel", "kernel-core");
    assertThat(inv.runningKernel()).isEqualTo(expected.runningKernel())
        .isEqualTo(Fixtures.read(dir + "/uname-r.txt").strip());
    assertThat(inv.needsRestarting()).isEqualTo(expected.needsReboot())
        .as("as dnf needs-restarting -r said on the host")
        .isEqualTo(Fixtures.read(dir + "/needs-restarting-r.rc").strip().equals("1"));
    OsRelease os = OsRelease.parse(Fixtures.read(dir + "/os-release.txt"));
    assertThat(inv.osId()).isEqualTo(os.id());
    assertThat(inv.product()).isEqualTo(os.product());
    String[] boot = FramedText.body(host.probe(), "boot").strip().split("\n");
    assertThat(inv.bootTime()).as("the later of PID 1's start and now minus uptime").isEqualTo(Instant.ofEpochSecond(
        Math.max(Long.parseLong(boot[1]), Long.parseLong(boot[0]) - (long) Math.ceil(Double.parseDouble(boot[2])))));
    assertThat(inv.metadataAgeSeconds()).as("by the host's clock, from the primary file's mtime")
        .isEqualTo(host.hostNow() - CapturedHost.listedMtime(host.probe(), "-primary.xml.gz"));
    assertThat(session.asked()).as("a fresh cache: no refresh, the updateinfo read once")
        .containsExactly(new Asked(Asked.PROBE, List.of(), null),
            new Asked(Asked.READ_UPDATE_INFO, List.of(), host.updateInfoPath()));
  }

  /**
   * Issue 17 on the agent: a repository whose updateinfo has a checksum the platform's catalog
   * holds is not read; its checksum goes into the inventory, and the installed packages stay whole
   * (not cut, since the catalog's advisories are added centrally). A checksum the catalog does not
   * hold changes nothing, and the workers' collector, which has the catalog itself, takes no hint.
   */
  @Test
  void theAgentLeavesAFileTheCatalogHoldsToItAndKeepsItsPackagesWhole() {
    RpmCollector agent = RpmCollector.withoutCatalog(new CollectorTraffic());
    String checksum = CapturedHost.sha256(DEMO.updateInfoXml());
    HostInventory read = agent.collect(DEMO.session(), MetadataRefresh.AUTO);
    assertThat(read.catalogChecksums()).isNull();
    assertThat(read.advisories()).isNotEmpty();

    ReplayedHostSession session = DEMO.session();
    HostInventory leaving = agent.collect(session, MetadataRefresh.AUTO, Set.of(checksum, "sha256:" + "00".repeat(32)));

    assertThat(session.asked()).as("the probe only: the file is not read")
        .containsExactly(new Asked(Asked.PROBE, List.of(), null));
    assertThat(leaving.catalogChecksums()).containsExactly(checksum);
    assertThat(leaving.advisories()).isEmpty();
    assertThat(leaving.packages()).isEqualTo(read.packages());
    assertThat(io.patchloop.compliance.EngineInventory.compact(leaving)).as("left whole until resolved centrally")
        .isSameAs(leaving);
    assertThat(io.patchloop.compliance.EngineInventory.compact(read).packages()).as("a whole inventory is cut")
        .hasSizeLessThan(read.packages().size());

    HostInventory unknown = agent.collect(DEMO.session(), MetadataRefresh.AUTO, Set.of("sha256:" + "00".repeat(32)));
    assertThat(unknown).isEqualTo(read);
    ReplayedHostSession central = DEMO.session();
    HostInventory workers = CapturedHost.collector().collect(central, MetadataRefresh.AUTO, Set.of(checksum));
    assertThat(workers.catalogChecksums()).isNull();
    assertThat(ids(workers)).isEqualTo(ids(read));
  }

  @Test
  void aCapturedBulkHostKeepsOfTheLargeUpdateInfoWhatConcernsItsPackages() {
    String probe = Fixtures.read(bulkDir() + "/probe.txt");
    String path = CapturedHost.listedPath(probe, "-updateinfo.xml.gz");
    String xml = Fixtures.read("bulk/updateinfo.xml");
    HostInventory inv = CapturedHost.collector().collect(
        new ReplayedHostSession().probe(probe).updateInfo(path, xml), MetadataRefresh.NEVER);
    long rpmLines = FramedText.body(probe, "rpm").lines().filter(l -> !l.isBlank() && !l.startsWith("gpg-pubkey|")).count();
    assertThat(inv.packages()).hasSize((int) rpmLines).hasSizeGreaterThan(100);
    Set<String> installed = inv.packages().stream().map(p -> p.name() + "." + p.arch()).collect(Collectors.toSet());
    List<Advisory> all = UpdateInfoParser.parse(xml, "bulk").advisories();
    Set<String> concerning = all.stream()
        .filter(a -> a.packages().stream().anyMatch(p -> installed.contains(p.name() + "." + p.arch())))
        .map(Advisory::id).collect(Collectors.toCollection(TreeSet::new));
    assertThat(ids(inv)).isNotEmpty().isEqualTo(concerning);
    assertThat(inv.advisories()).allSatisfy(a -> assertThat(a.packages())
        .allSatisfy(p -> assertThat(installed).contains(p.name() + "." + p.arch())));
  }

  static String bulkDir() {
    String index = Fixtures.read("INDEX.md");
    int at = index.indexOf("| bulk/");
    return index.substring(at + 2, index.indexOf(' ', at + 2));
  }

  @Test
  void dnfNamesTheCacheDirectoryAsTheCaptureShows() {
    // the cache directory the capture found is the one the configuration reader names
    String repoFile = FramedText.body(DEMO.probe(), "file " + fileMtime(DEMO.probe(), "/etc/yum.repos.d/patchloop-lab.repo")
        + " /etc/yum.repos.d/patchloop-lab.repo");
    String baseurl = repoFile.lines().filter(l -> l.startsWith("baseurl=")).findFirst().orElseThrow().substring(8);
    assertThat(DEMO.cacheDir()).isEqualTo("/var/cache/dnf/lab-demo-"
        + RepoConfigReader.cacheHash("lab-demo", null, null, List.of(baseurl)));
  }

  // ---------------------------------------------------------------- yum

  @Test
  void aYumHostIsReadFromItsCacheLayoutAndMirrorlists(@TempDir Path root) {
    SynthesizedYumHost host = new SynthesizedYumHost(root, 600, 900);
    ReplayedHostSession session = host.session();
    HostInventory inv = CapturedHost.collector().collect(session, MetadataRefresh.AUTO);
    assertThat(inv.product()).isEqualTo("CentOS 7");
    assertThat(inv.runningKernel()).isEqualTo("3.10.0-1160.el7.x86_64");
    assertThat(ids(inv)).as("the same packages as the demo missing-some host: its advisories")
        .isEqualTo(Expected.of("demo/missing-some").advisoryIds());
    assertThat(inv.metadataAgeSeconds()).as("the older cachecookie").isEqualTo(900);
    assertThat(session.asked()).containsExactly(new Asked(Asked.PROBE, List.of(), null),
        new Asked(Asked.READ_UPDATE_INFO, List.of(), host.updateInfoPath));
  }

  @Test
  void anExpiredYumRepositoryIsRefreshedWithMakecacheFastForAll(@TempDir Path root) {
    // yum 3's default metadata_expire is 6 h; updates' cookie is 7 h old
    SynthesizedYumHost host = new SynthesizedYumHost(root, 600, 7 * 3600);
    ReplayedHostSession session = host.session().refresh(host.refresh());
    HostInventory inv = CapturedHost.collector().collect(session, MetadataRefresh.AUTO);
    assertThat(session.asked(Asked.REFRESH)).as("yum 3 has no per-repository switch: no --repo")
        .containsExactly(new Asked(Asked.REFRESH, List.of(), null));
    assertThat(ids(inv)).isEqualTo(Expected.of("demo/missing-some").advisoryIds());
  }

  // ---------------------------------------------------------------- framing

  @Test
  void aForgedMarkerWithoutOurNonceIsContent() {
    String forged = FramedText.replace(DEMO.probe(), "os-release", FramedText.body(DEMO.probe(), "os-release")
        + CollectorScript.MARKER_PREFIX + "ffffffffffffffff end@@\n"
        + CollectorScript.MARKER_PREFIX + "ffffffffffffffff package-manager@@\nyum\n");
    HostInventory clean = CapturedHost.collector().collect(DEMO.session(), MetadataRefresh.AUTO);
    ReplayedHostSession session = DEMO.session().probe(forged);
    HostInventory inv = CapturedHost.collector().collect(session, MetadataRefresh.AUTO);
    assertThat(inv).isEqualTo(clean);
    assertThat(session.asked(Asked.REFRESH)).as("still dnf, not the forged yum").isEmpty();
  }

  @Test
  void aCutOutputIsUnparseable() {
    String probe = DEMO.probe();
    for (int cut : new int[] {0, probe.indexOf("rpm@@") + 40, probe.length() - "end@@\n".length()}) {
      ReplayedHostSession session = DEMO.session().probe(probe.substring(0, cut));
      assertKind(() -> CapturedHost.collector().collect(session, MetadataRefresh.AUTO), HostErrorKind.OUTPUT_UNPARSEABLE)
          .contains("ended early");
    }
  }

  @Test
  void aCutOutputWithAFailedShellIsACommandFailure() {
    ReplayedHostSession session = DEMO.session().probe(new Reply(
        DEMO.probe().substring(0, 300).getBytes(StandardCharsets.UTF_8), 127, "sh: rpm: command not found", false));
    assertKind(() -> CapturedHost.collector().collect(session, MetadataRefresh.AUTO), HostErrorKind.COMMAND_FAILED)
        .contains("exit status 127").contains("rpm: command not found");
  }

  @Test
  void anOutputCutAtTheCapIsUnparseable() {
    ReplayedHostSession session = DEMO.session().probe(new Reply(DEMO.probe().getBytes(StandardCharsets.UTF_8), 0, "", true));
    assertKind(() -> CapturedHost.collector().collect(session, MetadataRefresh.AUTO), HostErrorKind.OUTPUT_UNPARSEABLE)
        .contains("output cap");
  }

  @Test
  void garbageInTheRpmDatabaseNamesTheLine() {
    String rpm = FramedText.body(DEMO.probe(), "rpm");
    int line = (int) rpm.lines().count() + 1;
    ReplayedHostSession session = DEMO.session().probe(FramedText.replace(DEMO.probe(), "rpm", rpm + "rm -rf /|x\n"));
    assertKind(() -> CapturedHost.collector().collect(session, MetadataRefresh.AUTO), HostErrorKind.OUTPUT_UNPARSEABLE)
        .contains("rpm -qa line " + line);
    assertThatThrownBy(() -> RpmQaParser.parse("bash;id|(none)|5.1|1|x86_64|1700000000\n"))
        .hasMessageContaining("characters rpm does not allow");
  }

  /** The bounds the central check applies to an agent's inventory, applied where the SSH path reads the same data. */
  @Test
  void theSshPathKeepsTheSameBoundsAsTheCentralCheck() {
    StringBuilder many = new StringBuilder();
    for (int i = 0; i <= io.patchloop.inventory.HostDataLimits.MAX_INSTALLED_PACKAGES; i++) {
      many.append("pkg").append(i).append("|(none)|1.0|1|x86_64|1700000000\n");
    }
    assertKind(() -> RpmQaParser.parse(many.toString()), HostErrorKind.INVENTORY_TOO_LARGE)
        .contains("more than " + io.patchloop.inventory.HostDataLimits.MAX_INSTALLED_PACKAGES);
    String kernels = FramedText.body(DEMO.probe(), "kernels");
    ReplayedHostSession session = DEMO.session().probe(FramedText.replace(DEMO.probe(), "kernels",
        kernels + "kernel$(reboot)\n"));
    assertKind(() -> CapturedHost.collector().collect(session, MetadataRefresh.AUTO), HostErrorKind.OUTPUT_UNPARSEABLE)
        .contains("kernel$(reboot)");
  }

  @Test
  void readsEveryFlavourOfOsRelease() {
    assertThat(OsRelease.parse(Fixtures.read("demo/missing-some/os-release.txt")).product()).isEqualTo("HCE 2.0");
    assertThat(OsRelease.parse(Fixtures.read("demo/patched/os-release.txt")).product()).isEqualTo("CentOS 8");
    assertThat(OsRelease.parse(Fixtures.read("quirks/missing-all/os-release.txt")).product()).isEqualTo("EulerOS 2.0");
    assertThat(OsRelease.parse(Fixtures.read("demo/pending-reboot/os-release.txt")).product()).isEqualTo("openEuler 22.03");
    assertThat(OsRelease.parse("ID=ubuntu\nVERSION_ID=\"22.04\"\nNAME=\"Ubuntu\"\n").product()).isEqualTo("Ubuntu 22.04");
    assertThat(OsRelease.parse("ID='rocky'\nNAME='Rocky Linux'\n# VERSION_ID=9\n").product()).isEqualTo("Rocky Linux");
  }

  // ---------------------------------------------------------------- a second repository

  /**
   * A second enabled repository added to a captured dnf output: its .repo file (in a probe), its
   * cached primary file and repomd.xml (the demo's, without updateinfo unless {@code withUpdateInfo}).
   */
  record ExtraRepo(String id, String baseurl) {

    String cacheDir() {
      return "/var/cache/dnf/" + id + "-" + RepoConfigReader.cacheHash(id, null, null, List.of(baseurl));
    }

    String addTo(String framed, long primaryMtime) {
      String out = framed;
      if (FramedText.names(framed).contains("releasever")) {
        out = FramedText.insertBefore(out, "releasever", "file 1796000000 /etc/yum.repos.d/" + id + ".repo",
            "[" + id + "]\nname=extra\nbaseurl=" + baseurl + "\nenabled=1\ngpgcheck=0\n");
      }
      String primary = cacheDir() + "/repodata/0011aabb-primary.xml.gz";
      out = FramedText.replace(out, "cache-listing", FramedText.body(out, "cache-listing")
          + primaryMtime + "|2910|" + primary + "\n" + primaryMtime + "|1200|" + cacheDir() + "/repodata/repomd.xml\n");
      String repomd = FramedText.body(DEMO.probe(), "repomd " + DEMO.cacheDir() + "/repodata")
          .replaceAll("(?s)\\s*<data type=\"updateinfo\">.*?</data>", "");
      return FramedText.insertBefore(out, "end", "repomd " + cacheDir() + "/repodata", repomd);
    }
  }

  static final ExtraRepo EXTRAS = new ExtraRepo("extras", "http://mirror.example.com/extras/");

  @Test
  void reportsTheAgeOfTheOldestRepositorysMetadataAndARepositoryWithoutUpdateInfoIsNoFault() {
    long extrasAge = 90_000; // older than lab-demo's, within dnf's 48 h
    ReplayedHostSession session = DEMO.session().probe(EXTRAS.addTo(DEMO.probe(), DEMO.hostNow() - extrasAge));
    HostInventory inv = CapturedHost.collector().collect(session, MetadataRefresh.AUTO);
    assertThat(inv.metadataAgeSeconds()).isEqualTo(extrasAge);
    assertThat(ids(inv)).isEqualTo(Expected.of(DEMO.dir()).advisoryIds());
    assertThat(session.asked(Asked.REFRESH)).isEmpty();
    assertThat(session.asked(Asked.READ_UPDATE_INFO)).hasSize(1);
  }

  // ---------------------------------------------------------------- fail closed

  /** The scan fails METADATA_UNAVAILABLE; the message, to check. */
  static AbstractStringAssert<?> unavailable(ReplayedHostSession session, MetadataRefresh refresh) {
    return assertKind(() -> CapturedHost.collector().collect(session, refresh), HostErrorKind.METADATA_UNAVAILABLE);
  }

  /** The call fails with a HostAccessException of that kind; its message, to check. */
  static AbstractStringAssert<?> assertKind(ThrowingCallable call, HostErrorKind kind) {
    Throwable thrown = catchThrowable(call);
    assertThat(thrown).isInstanceOf(HostAccessException.class);
    assertThat(((HostAccessException) thrown).kind()).as(thrown.getMessage()).isEqualTo(kind);
    return assertThat(thrown.getMessage());
  }

  /** The demo output as after {@code dnf clean all}: nothing cached. */
  static String withoutCache(String framed) {
    return FramedText.replace(FramedText.remove(framed, "repomd " + DEMO.cacheDir() + "/repodata"), "cache-listing", "");
  }

  @Test
  void anEnabledRepositoryWithoutCacheFailsClosedAfterTheRefreshFailed() {
    String refresh = FramedText.replace(withoutCache(CapturedHost.capturedRefresh()), "makecache",
        "Error: Failed to download metadata for repo 'lab-demo': Cannot download repomd.xml\nexit=1\n");
    ReplayedHostSession session = DEMO.session().probe(withoutCache(DEMO.probe())).refresh(refresh);
    unavailable(session, MetadataRefresh.AUTO)
        .contains("lab-demo: no cached metadata in " + DEMO.cacheDir())
        .contains("Failed to download metadata for repo 'lab-demo'");
    assertThat(session.asked(Asked.REFRESH)).as("no cache is expired: refreshed first")
        .containsExactly(new Asked(Asked.REFRESH, List.of("lab-demo"), null));
    assertThat(session.asked(Asked.READ_UPDATE_INFO)).isEmpty();
  }

  @Test
  void anEnabledRepositoryWithoutCacheFailsClosedWhenNeverRefreshed() {
    ReplayedHostSession session = DEMO.session().probe(withoutCache(DEMO.probe()));
    unavailable(session, MetadataRefresh.NEVER).contains("lab-demo: no cached metadata");
    assertThat(session.asked()).containsExactly(new Asked(Asked.PROBE, List.of(), null));
  }

  @Test
  void updateInfoListedButNotInTheCacheFailsClosed() {
    String listing = FramedText.body(DEMO.probe(), "cache-listing").lines()
        .filter(l -> !l.endsWith("-updateinfo.xml.gz")).collect(Collectors.joining("\n", "", "\n"));
    ReplayedHostSession session = DEMO.session().probe(FramedText.replace(DEMO.probe(), "cache-listing", listing));
    unavailable(session, MetadataRefresh.AUTO)
        .contains("lab-demo: its repomd.xml lists updateinfo, but the file is not in the cache");
    assertThat(session.asked(Asked.READ_UPDATE_INFO)).isEmpty();
  }

  @Test
  void noEnabledRepositoryFailsClosed() {
    String repoSection = "file " + fileMtime(DEMO.probe(), "/etc/yum.repos.d/patchloop-lab.repo")
        + " /etc/yum.repos.d/patchloop-lab.repo";
    String probe = FramedText.replace(DEMO.probe(), repoSection,
        FramedText.body(DEMO.probe(), repoSection).replace("enabled=1", "enabled=0"));
    ReplayedHostSession session = DEMO.session().probe(probe);
    unavailable(session, MetadataRefresh.AUTO).contains("no repository is enabled");
    assertThat(session.asked()).containsExactly(new Asked(Asked.PROBE, List.of(), null));
  }

  @Test
  void updateInfoNotMatchingItsChecksumFailsClosedAndIsNotCatalogued() {
    InMemoryAdvisoryCatalog catalog = new InMemoryAdvisoryCatalog(16);
    ReplayedHostSession session = DEMO.session().updateInfo(DEMO.updateInfoPath(), Fixtures.read("quirks/updateinfo.xml"));
    assertKind(() -> new RpmCollector(new CollectorTraffic(), catalog).collect(session, MetadataRefresh.AUTO),
        HostErrorKind.METADATA_UNAVAILABLE).contains("lab-demo: its cached updateinfo does not match the checksum");
    assertThat(catalog.find(CapturedHost.sha256(DEMO.updateInfoXml()))).isEmpty();
    assertThat(catalog.find(CapturedHost.sha256(Fixtures.read("quirks/updateinfo.xml")))).isEmpty();
  }

  @Test
  void truncatedOrUnparseableUpdateInfoFailsClosed() {
    String xml = DEMO.updateInfoXml();
    for (String broken : List.of(xml.substring(0, xml.length() / 2), "<updates><update", "not xml at all\n", "")) {
      ReplayedHostSession session = DEMO.session().updateInfo(DEMO.updateInfoPath(), broken);
      unavailable(session, MetadataRefresh.AUTO).contains("lab-demo: its updateinfo cannot be read");
    }
  }

  @Test
  void anUpdateInfoTheHostCannotDecompressFailsClosed() {
    ReplayedHostSession session = DEMO.session().updateInfo(DEMO.updateInfoPath(),
        Reply.failed(1, "gzip: " + DEMO.updateInfoPath() + ": No such file or directory"));
    // the decompressor's own words, not the empty document's parse error
    unavailable(session, MetadataRefresh.AUTO).contains("lab-demo: its updateinfo cannot be read (exit status 1")
        .contains("No such file or directory").doesNotContain("well-formed");
    // the whole file came, but the decompressor failed after it: not to be trusted either
    ReplayedHostSession trailing = DEMO.session().updateInfo(DEMO.updateInfoPath(), new Reply(
        DEMO.updateInfoXml().getBytes(StandardCharsets.UTF_8), 2, "gzip: stdin: decompression OK, trailing garbage ignored",
        false));
    unavailable(trailing, MetadataRefresh.AUTO).contains("lab-demo: its updateinfo cannot be read (exit status 2")
        .contains("trailing garbage ignored");
  }

  @Test
  void zchunkUpdateInfoFailsClosedWithoutReadingIt() {
    String probe = DEMO.probe().replace("-updateinfo.xml.gz", "-updateinfo.xml.zck");
    ReplayedHostSession session = new ReplayedHostSession().probe(probe);
    unavailable(session, MetadataRefresh.AUTO).contains("lab-demo: its updateinfo is zchunk-compressed");
    assertThat(session.asked(Asked.READ_UPDATE_INFO)).isEmpty();
  }

  // ---------------------------------------------------------------- refresh policy

  @Test
  void autoRefreshesOnlyTheRepositoryMarkedExpired() {
    String probe = FramedText.replace(EXTRAS.addTo(DEMO.probe(), DEMO.hostNow() - 60), "expired-repos", "[\"lab-demo\"]\n");
    String refresh = EXTRAS.addTo(CapturedHost.capturedRefresh(), DEMO.hostNow() - 60);
    ReplayedHostSession session = DEMO.session().probe(probe).refresh(refresh);
    HostInventory inv = CapturedHost.collector().collect(session, MetadataRefresh.AUTO);
    assertThat(session.asked(Asked.REFRESH)).containsExactly(new Asked(Asked.REFRESH, List.of("lab-demo"), null));
    assertThat(ids(inv)).isEqualTo(Expected.of(DEMO.dir()).advisoryIds());
  }

  @Test
  void autoRefreshesOnlyTheRepositoryPastItsMetadataExpire() {
    String repoSection = "file " + fileMtime(DEMO.probe(), "/etc/yum.repos.d/patchloop-lab.repo")
        + " /etc/yum.repos.d/patchloop-lab.repo";
    long age = DEMO.hostNow() - CapturedHost.listedMtime(DEMO.probe(), "-primary.xml.gz");
    String probe = FramedText.replace(EXTRAS.addTo(DEMO.probe(), DEMO.hostNow() - 60), repoSection,
        FramedText.body(DEMO.probe(), repoSection) + "metadata_expire=" + Math.max(0, age - 1) + "\n");
    String refresh = EXTRAS.addTo(CapturedHost.capturedRefresh(), DEMO.hostNow() - 60);
    ReplayedHostSession session = DEMO.session().probe(probe).refresh(refresh);
    CapturedHost.collector().collect(session, MetadataRefresh.AUTO);
    assertThat(session.asked(Asked.REFRESH)).containsExactly(new Asked(Asked.REFRESH, List.of("lab-demo"), null));
  }

  @Test
  void autoRefreshesWhenTheHostsClockSaysTheDefaultExpiryPassed() {
    String boot = FramedText.body(DEMO.probe(), "boot");
    long later = DEMO.hostNow() + RepoConfigReader.DNF_DEFAULT_METADATA_EXPIRE + 1;
    String probe = FramedText.replace(DEMO.probe(), "boot", later + boot.substring(boot.indexOf('\n')));
    ReplayedHostSession session = DEMO.session().probe(probe).refresh(CapturedHost.capturedRefresh());
    CapturedHost.collector().collect(session, MetadataRefresh.AUTO);
    assertThat(session.asked(Asked.REFRESH)).containsExactly(new Asked(Asked.REFRESH, List.of("lab-demo"), null));
  }

  @Test
  void alwaysRefreshesEveryEnabledRepositoryAndNeverRefreshesNone() {
    String probe = FramedText.replace(EXTRAS.addTo(DEMO.probe(), DEMO.hostNow() - 60), "expired-repos", "[\"lab-demo\"]\n");
    String refresh = EXTRAS.addTo(CapturedHost.capturedRefresh(), DEMO.hostNow() - 60);
    ReplayedHostSession always = DEMO.session().probe(EXTRAS.addTo(DEMO.probe(), DEMO.hostNow() - 60)).refresh(refresh);
    CapturedHost.collector().collect(always, MetadataRefresh.ALWAYS);
    assertThat(always.asked(Asked.REFRESH)).as("fresh caches too, in dnf's order: the .repo files sorted")
        .containsExactly(new Asked(Asked.REFRESH, List.of("extras", "lab-demo"), null));

    ReplayedHostSession never = DEMO.session().probe(probe);
    HostInventory inv = CapturedHost.collector().collect(never, MetadataRefresh.NEVER);
    assertThat(never.asked(Asked.REFRESH)).as("expired, but never refreshed").isEmpty();
    assertThat(ids(inv)).isEqualTo(Expected.of(DEMO.dir()).advisoryIds());
  }

  @ParameterizedTest
  @EnumSource(MetadataRefresh.class)
  void aFreshCacheIsRefreshedOnlyWhenAlwaysIsAsked(MetadataRefresh refresh) {
    ReplayedHostSession session = DEMO.session().refresh(CapturedHost.capturedRefresh());
    CapturedHost.collector().collect(session, refresh);
    assertThat(session.asked(Asked.REFRESH)).hasSize(refresh == MetadataRefresh.ALWAYS ? 1 : 0);
  }

  // ---------------------------------------------------------------- catalog

  @Test
  void aChecksumTheCatalogKnowsIsNotReadAgain() {
    RpmCollector collector = CapturedHost.collector();
    ReplayedHostSession first = DEMO.session();
    HostInventory once = collector.collect(first, MetadataRefresh.AUTO);
    assertThat(first.asked(Asked.READ_UPDATE_INFO)).hasSize(1);
    for (String dir : List.of("demo/patched", "demo/pending-reboot")) {
      ReplayedHostSession other = CapturedHost.of(dir).session();
      HostInventory inv = collector.collect(other, MetadataRefresh.AUTO);
      assertThat(other.asked()).as(dir + ": the same file, already sent by another host")
          .containsExactly(new Asked(Asked.PROBE, List.of(), null));
      assertThat(ids(inv)).isEqualTo(Expected.of(dir).advisoryIds());
    }
    assertThat(collector.collect(DEMO.session(), MetadataRefresh.AUTO)).isEqualTo(once);
  }

  @Test
  void theCatalogAnswersForTheChecksumInRepomd() {
    // what is stored under the checksum is what the scan uses: the catalog is trusted, the host is not asked
    InMemoryAdvisoryCatalog catalog = new InMemoryAdvisoryCatalog(16);
    var quirks = UpdateInfoParser.parse(Fixtures.read("quirks/updateinfo.xml"), "quirks");
    catalog.save(CapturedHost.sha256(DEMO.updateInfoXml()), "test", new UpdateInfoFile(quirks.advisories(), 0));
    ReplayedHostSession session = DEMO.session();
    HostInventory inv = new RpmCollector(new CollectorTraffic(), catalog).collect(session, MetadataRefresh.AUTO);
    assertThat(session.asked(Asked.READ_UPDATE_INFO)).isEmpty();
    assertThat(ids(inv)).as("quirks advisories of packages the demo host has (bash, kernel...)")
        .isNotEmpty().allMatch(id -> id.startsWith("openEuler-"));
  }

  // ---------------------------------------------------------------- host values and the shell

  @Test
  void aRepositoryIdWithShellMetacharactersNeverReachesACommand() {
    String evil = "[evil$(reboot)]\nbaseurl=http://x/\n\n[a;reboot]\nbaseurl=http://x/\n\n[`reboot`]\nbaseurl=http://x/\n\n"
        + "[-rf]\nbaseurl=http://x/\n";
    String probe = FramedText.insertBefore(DEMO.probe(), "releasever", "file 1796000000 /etc/yum.repos.d/evil.repo", evil);
    ReplayedHostSession session = DEMO.session().probe(probe).refresh(CapturedHost.capturedRefresh());
    CapturedHost.collector().collect(session, MetadataRefresh.ALWAYS);
    assertThat(session.asked(Asked.REFRESH)).as("only the valid repository, refreshed as asked")
        .containsExactly(new Asked(Asked.REFRESH, List.of("lab-demo"), null));
    assertThatThrownBy(() -> CollectorScript.refresh("0123456789abcdef", "dnf", List.of("a;reboot")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> CollectorScript.refresh("0123456789abcdef", "dnf", List.of("$(reboot)")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void anUpdateInfoLocationWithShellMetacharactersIsNeverRead() {
    String probe = DEMO.probe().replace("repodata/" + DEMO.updateInfoPath().substring(DEMO.updateInfoPath().lastIndexOf('/') + 1),
        "repodata/$(reboot)-updateinfo.xml.gz");
    ReplayedHostSession session = new ReplayedHostSession().probe(probe);
    unavailable(session, MetadataRefresh.NEVER).contains("lab-demo: repomd.xml of repository lab-demo");
    assertThat(session.asked(Asked.READ_UPDATE_INFO)).isEmpty();
    assertThatThrownBy(() -> CollectorScript.readUpdateInfo("/var/cache/dnf/x/../../../etc/shadow"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  static long fileMtime(String framed, String path) {
    return FramedText.names(framed).stream().filter(n -> n.startsWith("file ") && n.endsWith(" " + path))
        .map(n -> Long.parseLong(n.split(" ")[1])).findFirst().orElseThrow();
  }
}
