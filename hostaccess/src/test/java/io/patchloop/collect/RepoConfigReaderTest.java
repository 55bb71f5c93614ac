package io.patchloop.collect;

import static io.patchloop.collect.RepoConfigFixtures.file;
import static io.patchloop.collect.RepoConfigFixtures.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The enabled repositories and their cache directories, against what dnf 4.14 / libdnf 0.69 itself
 * computed for the same files: the expected ids, cache directories, metadata_expire values and URLs
 * below were printed by dnf's own {@code RepoReader} and {@code Repo.getCachedir()} (a python3-dnf
 * script over these fixtures on the lab machine), not by this code.
 */
class RepoConfigReaderTest {

  private static final long T = 1_796_000_000L;

  private static Map<String, EnabledRepo> byId(RepoConfiguration c) {
    return c.repos().stream().collect(Collectors.toMap(EnabledRepo::id, Function.identity()));
  }

  @Test
  void labHostAsDnfSeesIt() {
    RepoConfiguration c = RepoConfigReader.read(PackageManagerKind.DNF4, "x86_64", "", List.of(
        file("/etc/dnf/dnf.conf", T, "lab/dnf.conf"),
        file("/etc/yum.repos.d/patchloop-lab.repo", T, "lab/patchloop-lab.repo"),
        file("/etc/dnf/vars/releasever", T, "lab/releasever")));

    assertThat(c.repos()).singleElement().satisfies(r -> {
      assertThat(r.id()).isEqualTo("lab-demo");
      // verified on a lab host: sha256("http://127.0.0.1:8479/demo/")[:16], the directory dnf made
      assertThat(r.cacheDir()).isEqualTo("/var/cache/dnf/lab-demo-285393f3cfa089ec");
      assertThat(r.baseurls()).containsExactly("http://127.0.0.1:8479/demo/");
      assertThat(r.metadataExpireSeconds()).isEqualTo(172800);
      assertThat(r.repoFile()).isEqualTo("/etc/yum.repos.d/patchloop-lab.repo");
    });
    assertThat(c.variables()).containsEntry("releasever", "2.0").containsEntry("basearch", "x86_64");
    assertThat(c.cacheRoot()).isEqualTo("/var/cache/dnf");
    assertThat(c.warnings()).isEmpty();
  }

  @Test
  void openEuler2203MetalinkNamesTheCacheAndReleaseverComesFromRpm() {
    RepoConfiguration c = RepoConfigReader.read(PackageManagerKind.DNF4, "x86_64",
        text("openeuler2203/releasever-query.txt"), List.of(
            file("/etc/dnf/dnf.conf", T, "openeuler2203/dnf.conf"),
            file("/etc/yum.repos.d/openEuler.repo", T, "openeuler2203/openEuler.repo")));

    assertThat(c.variables()).containsEntry("releasever", "22.03LTS");
    assertThat(c.repos()).extracting(EnabledRepo::id)
        .containsExactly("OS", "everything", "EPOL", "debuginfo", "source", "update");
    assertThat(c.repos()).extracting(EnabledRepo::cacheDir).containsExactly(
        "/var/cache/dnf/OS-a7a43bd172faf642",
        "/var/cache/dnf/everything-4739c330493f6671",
        "/var/cache/dnf/EPOL-4bbbc76c235009c9",
        "/var/cache/dnf/debuginfo-0aa5985f828f4eb0",
        "/var/cache/dnf/source-94b14ac97c19c29d",
        "/var/cache/dnf/update-6cd9b1e1b7ce3dbd");
    EnabledRepo os = byId(c).get("OS");
    assertThat(os.metalink()).isEqualTo("https://mirrors.openeuler.org/metalink?repo=22.03LTS/OS&arch=x86_64");
    assertThat(os.baseurls()).containsExactly("http://repo.openeuler.org/openEuler-22.03-LTS/OS/x86_64/");
    assertThat(c.repos()).allSatisfy(r -> assertThat(r.metadataExpireSeconds()).isEqualTo(3600));
    assertThat(c.warnings()).isEmpty();
  }

  @Test
  void centos7YumMirrorlistWithInfraVarAndDistroverpkg() {
    long repoMtime = T + 50;
    RepoConfiguration c = RepoConfigReader.read(PackageManagerKind.YUM, "x86_64",
        text("centos7/releasever-query.txt"), List.of(
            file("/etc/yum.conf", T + 100, "centos7/yum.conf"),
            file("/etc/yum.repos.d/CentOS-Base.repo", repoMtime, "centos7/CentOS-Base.repo"),
            file("/etc/yum/vars/infra", T, "centos7/infra")));

    assertThat(c.variables()).containsEntry("releasever", "7").containsEntry("infra", "stock");
    assertThat(c.repos()).extracting(EnabledRepo::id).containsExactly("base", "updates", "extras");
    EnabledRepo base = byId(c).get("base");
    assertThat(base.mirrorlist())
        .isEqualTo("http://mirrorlist.centos.org/?release=7&arch=x86_64&repo=os&infra=stock");
    assertThat(base.baseurls()).isEmpty();
    assertThat(base.cacheDir()).isEqualTo("/var/cache/yum/x86_64/7/base");
    assertThat(base.metadataExpireSeconds()).isEqualTo(21600);
    // yum: a repo's config age is the later of its file and yum.conf
    assertThat(base.repoFileMtimeEpochSeconds()).isEqualTo(T + 100);
  }

  @Test
  void metadataExpireForms() {
    RepoConfiguration c = RepoConfigReader.read(PackageManagerKind.DNF4, "x86_64", "", List.of(
        new HostConfigFile("/etc/dnf/vars/releasever", T, "8\n"),
        file("/etc/yum.repos.d/expiry.repo", T, "expiry/expiry.repo")));

    Map<String, EnabledRepo> repos = byId(c);
    assertThat(repos.get("never-word").metadataExpireSeconds()).isEqualTo(EnabledRepo.NEVER);
    assertThat(repos.get("never-number").metadataExpireSeconds()).isEqualTo(EnabledRepo.NEVER);
    assertThat(repos.get("six-hours").metadataExpireSeconds()).isEqualTo(21600);
    assertThat(repos.get("ninety-minutes").metadataExpireSeconds()).isEqualTo(5400);
    assertThat(repos.get("main-default").metadataExpireSeconds()).isEqualTo(172800);
    assertThat(repos.get("invalid-expire").metadataExpireSeconds()).isEqualTo(172800);
    assertThat(repos.get("ninety-minutes").baseurls()).containsExactly("http://mirror.example.com/ninety-minutes/",
        "http://mirror2.example.com/ninety-minutes/", "http://mirror3.example.com/ninety-minutes/");
    assertThat(repos.get("ninety-minutes").cacheDir()).isEqualTo("/var/cache/dnf/ninety-minutes-0f2596701e90e8e1");
    assertThat(repos.get("six-hours").cacheDir()).isEqualTo("/var/cache/dnf/six-hours-33dd4ee6dd2da95e");
    assertThat(c.warnings()).singleElement().asString().contains("invalid-expire").contains("unknown unit");
  }

  @Test
  void mainMetadataExpireIsInheritedAndCachedirOverridden() {
    RepoConfiguration c = RepoConfigReader.read(PackageManagerKind.DNF4, "x86_64", "", List.of(
        new HostConfigFile("/etc/dnf/dnf.conf", T, "[main]\nmetadata_expire=2d\ncachedir=/srv/dnfcache/\n"),
        file("/etc/yum.repos.d/expiry.repo", T, "expiry/expiry.repo")));

    assertThat(byId(c).get("main-default").metadataExpireSeconds()).isEqualTo(172800);
    assertThat(byId(c).get("six-hours").metadataExpireSeconds()).isEqualTo(21600);
    assertThat(byId(c).get("six-hours").cacheDir()).isEqualTo("/srv/dnfcache/six-hours-33dd4ee6dd2da95e");

    RepoConfiguration shorter = RepoConfigReader.read(PackageManagerKind.DNF4, "x86_64", "", List.of(
        new HostConfigFile("/etc/dnf/dnf.conf", T, "[main]\nmetadata_expire=30m\n"),
        file("/etc/yum.repos.d/expiry.repo", T, "expiry/expiry.repo")));
    assertThat(byId(shorter).get("main-default").metadataExpireSeconds()).isEqualTo(1800);
    assertThat(byId(shorter).get("invalid-expire").metadataExpireSeconds()).isEqualTo(1800);
  }

  @Test
  void shellMetacharactersInIdsAreRefusedAndAMalformedFileIsSkippedWhole() {
    RepoConfiguration c = RepoConfigReader.read(PackageManagerKind.DNF4, "x86_64", "", List.of(
        new HostConfigFile("/etc/dnf/vars/releasever", T, "8\n"),
        file("/etc/yum.repos.d/metachars.repo", T, "bad/metachars.repo"),
        file("/etc/yum.repos.d/malformed.repo", T, "bad/malformed.repo")));

    // dnf: good (the second [good] of one file adds to the first), nourl (listed, cannot load);
    // it refuses the two ids with ; and $( too; we also refuse -leading-dash, which dnf takes
    assertThat(c.repos()).extracting(EnabledRepo::id).containsExactly("good", "nourl");
    assertThat(byId(c).get("good").baseurls()).containsExactly("http://mirror.example.com/second/");
    assertThat(byId(c).get("good").cacheDir()).isEqualTo("/var/cache/dnf/good-dac5bdbe95d29020");
    assertThat(byId(c).get("nourl").cacheDir()).isEqualTo("/var/cache/dnf/nourl-9b9f06454ba107ac");
    assertThat(c.warnings()).anyMatch(w -> w.contains("malformed.repo skipped") && w.contains("Illegal continuation"));
    assertThat(c.warnings()).anyMatch(w -> w.contains("[evil;rm -rf /] refused"));
    assertThat(c.warnings()).anyMatch(w -> w.contains("[$(reboot)] refused"));
    assertThat(c.warnings()).anyMatch(w -> w.contains("[-leading-dash] refused"));
    assertThat(c.warnings()).anyMatch(w -> w.contains("[nourl] has no baseurl"));
  }

  @Test
  void idWithAVariableIsSubstitutedBeforeItIsChecked() {
    RepoConfiguration c = RepoConfigReader.read(PackageManagerKind.DNF4, "aarch64", "", List.of(
        new HostConfigFile("/etc/dnf/vars/releasever", T, "9\n"),
        new HostConfigFile("/etc/yum.repos.d/a.repo", T,
            "[epel-$releasever-$basearch]\nbaseurl=https://example.org/$releasever/$basearch/\n")));

    assertThat(c.repos()).singleElement().satisfies(r -> {
      assertThat(r.id()).isEqualTo("epel-9-aarch64");
      assertThat(r.baseurls()).containsExactly("https://example.org/9/aarch64/");
    });
  }

  @Test
  void firstDefinitionOfAnIdAcrossFilesWinsInDnfsFileOrder() {
    // dnf sorts by path components: /etc/yum/repos.d/... ("yum" < "yum.repos.d") comes first
    RepoConfiguration c = RepoConfigReader.read(PackageManagerKind.DNF4, "x86_64", "", List.of(
        new HostConfigFile("/etc/dnf/vars/releasever", T, "8\n"),
        new HostConfigFile("/etc/yum.repos.d/a.repo", T, "[dup]\nbaseurl=http://a/\n"),
        new HostConfigFile("/etc/yum/repos.d/z.repo", T, "[dup]\nbaseurl=http://z/\n"),
        new HostConfigFile("/etc/yum.repos.d/b.repo", T, "[dup]\nbaseurl=http://b/\nenabled=0\n")));

    assertThat(c.repos()).singleElement().satisfies(r -> {
      assertThat(r.baseurls()).containsExactly("http://z/");
      assertThat(r.repoFile()).isEqualTo("/etc/yum/repos.d/z.repo");
    });
    assertThat(c.warnings()).hasSize(2).allMatch(w -> w.contains("listed more than once"));
  }

  @Test
  void aDisabledFirstDefinitionStillTakesTheId() {
    RepoConfiguration c = RepoConfigReader.read(PackageManagerKind.DNF4, "x86_64", "", List.of(
        new HostConfigFile("/etc/yum.repos.d/a.repo", T, "[dup]\nbaseurl=http://a/\nenabled=no\n"),
        new HostConfigFile("/etc/yum.repos.d/b.repo", T, "[dup]\nbaseurl=http://b/\n")));

    assertThat(c.repos()).isEmpty();
  }

  @Test
  void reposdirFromMainReplacesTheDefaultAndFilesElsewhereAreIgnored() {
    RepoConfiguration c = RepoConfigReader.read(PackageManagerKind.DNF4, "x86_64", "", List.of(
        new HostConfigFile("/etc/dnf/dnf.conf", T, "[main]\nreposdir=/opt/repos\n"),
        new HostConfigFile("/etc/dnf/vars/releasever", T, "8\n"),
        new HostConfigFile("/etc/yum.repos.d/a.repo", T, "[a]\nbaseurl=http://a/\n"),
        new HostConfigFile("/opt/repos/b.repo", T, "[b]\nbaseurl=http://b/\n"),
        new HostConfigFile("/opt/repos/c.repo.rpmsave", T, "[c]\nbaseurl=http://c/\n"),
        new HostConfigFile("/opt/repos/../etc/d.repo", T, "[d]\nbaseurl=http://d/\n")));

    assertThat(c.repos()).extracting(EnabledRepo::id).containsExactly("b");
    assertThat(c.warnings()).hasSize(2).anyMatch(w -> w.contains("unusable path"))
        .anyMatch(w -> w.contains("names /opt/repos") && w.contains("only when the host sends them"));
  }

  @Test
  void reposInTheMainConfigComeFirst() {
    RepoConfiguration c = RepoConfigReader.read(PackageManagerKind.DNF4, "x86_64", "", List.of(
        new HostConfigFile("/etc/dnf/dnf.conf", T + 5, "[main]\n[inmain]\nbaseurl=http://m/\n"),
        new HostConfigFile("/etc/yum.repos.d/a.repo", T, "[a]\nbaseurl=http://a/\n")));

    assertThat(c.repos()).extracting(EnabledRepo::id).containsExactly("inmain", "a");
    assertThat(c.repos().get(0).repoFile()).isEqualTo("/etc/dnf/dnf.conf");
    assertThat(c.repos().get(0).repoFileMtimeEpochSeconds()).isEqualTo(T + 5);
  }

  @Test
  void aBrokenMainConfigMeansDnfDoesNotRun() {
    RepoConfiguration c = RepoConfigReader.read(PackageManagerKind.DNF4, "x86_64", "", List.of(
        new HostConfigFile("/etc/dnf/dnf.conf", T, "gpgcheck=1\n[main]\n"),
        file("/etc/yum.repos.d/patchloop-lab.repo", T, "lab/patchloop-lab.repo")));

    assertThat(c.repos()).isEmpty();
    assertThat(c.warnings()).singleElement().asString().contains("Missing section header");
  }

  @Test
  void varsFilesOverrideDetectionAndDnfVarsWinOverYumVars() {
    RepoConfiguration c = RepoConfigReader.read(PackageManagerKind.DNF4, "x86_64",
        text("openeuler2203/releasever-query.txt"), List.of(
            new HostConfigFile("/etc/yum/vars/releasever", T, "from-yum\n"),
            new HostConfigFile("/etc/dnf/vars/releasever", T, "22.03-SP4\nsecond line ignored\n"),
            new HostConfigFile("/etc/dnf/vars/bad-name", T, "x\n"),
            new HostConfigFile("/etc/yum.repos.d/a.repo", T, "[a]\nbaseurl=http://x/$releasever/${basearch}/$unknown/\n")));

    assertThat(c.variables()).containsEntry("releasever", "22.03-SP4");
    assertThat(c.repos().get(0).baseurls()).containsExactly("http://x/22.03-SP4/x86_64/$unknown/");
    assertThat(c.warnings()).singleElement().asString().contains("bad-name");
  }

  @Test
  void yumCachedirWithUnsafeVariableIsRefused() {
    RepoConfiguration c = RepoConfigReader.read(PackageManagerKind.YUM, "x86_64", "", List.of(
        new HostConfigFile("/etc/yum/vars/releasever", T, "7;reboot\n"),
        new HostConfigFile("/etc/yum.repos.d/a.repo", T, "[a]\nbaseurl=http://x/\n")));

    assertThat(c.cacheRoot()).isNull();
    assertThat(c.repos()).singleElement().extracting(EnabledRepo::cacheDir).isNull();
  }

  @Test
  void cacheHashPrefersMetalinkThenMirrorlistThenBaseurlThenId() {
    String lab = "http://127.0.0.1:8479/demo/";
    assertThat(RepoConfigReader.cacheHash("x", null, null, List.of(lab))).isEqualTo("285393f3cfa089ec");
    assertThat(RepoConfigReader.cacheHash("x", lab, "http://other/", List.of("http://b/"))).isEqualTo("285393f3cfa089ec");
    assertThat(RepoConfigReader.cacheHash("x", null, lab, List.of("http://b/"))).isEqualTo("285393f3cfa089ec");
    // an id alone: dnf's "nourl-9b9f06454ba107ac"
    assertThat(RepoConfigReader.cacheHash("nourl", null, null, List.of())).isEqualTo("9b9f06454ba107ac");
  }

  @ParameterizedTest
  @CsvSource({"x86_64,x86_64", "aarch64,aarch64", "i686,i386", "i586,i386", "armv7l,armhfp", "armv7hl,armhfp",
      "ppc64le,ppc64le", "s390x,s390x", "riscv64,riscv64", "loongarch64,loongarch64", "amd64,x86_64"})
  void basearch(String arch, String basearch) {
    assertThat(RepoVariables.basearchOf(arch)).contains(basearch);
  }

  @Test
  void unknownArchHasNoBasearch() {
    assertThat(RepoVariables.basearchOf("z80")).isEmpty();
    RepoConfiguration c = RepoConfigReader.read(PackageManagerKind.DNF4, "x86_64; reboot", "", List.of());
    assertThat(c.variables()).doesNotContainKeys("arch", "basearch");
    assertThat(c.warnings()).anyMatch(w -> w.contains("arch") && w.contains("not usable"));
  }

  @ParameterizedTest
  @CsvSource({"90,90", "1s,1", "90m,5400", "6h,21600", "2d,172800", "1.5h,5400", "3.7,3", "1e2,100", "-1,-1",
      "never,-1", "0,0", "6H,21600"})
  void seconds(String value, long seconds) {
    assertThat(DnfOptionValues.seconds(value)).isEqualTo(seconds);
  }

  @ParameterizedTest
  @CsvSource({"5x", "-2", "1hh", "NEVER", "''", "h"})
  void secondsDnfRefuses(String value) {
    assertThatThrownBy(() -> DnfOptionValues.seconds(value)).isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest
  @CsvSource({"1,true", "yes,true", "True,true", "ON,true", "0,false", "no,false", "False,false", "off,false"})
  void booleans(String value, boolean expected) {
    assertThat(DnfOptionValues.bool(value)).isEqualTo(expected);
  }

  @Test
  void booleanDnfRefuses() {
    assertThatThrownBy(() -> DnfOptionValues.bool("2")).isInstanceOf(IllegalArgumentException.class);
  }
}
