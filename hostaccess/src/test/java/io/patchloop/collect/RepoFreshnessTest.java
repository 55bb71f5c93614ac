package io.patchloop.collect;

import static io.patchloop.collect.RepoConfigFixtures.file;
import static io.patchloop.collect.RepoConfigFixtures.text;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** dnf 4's and yum's expiry rules, applied to cache listings (see {@link RepoFreshness} for the sources). */
class RepoFreshnessTest {

  private static final long REPO_FILE_MTIME = 1_796_000_000L;
  private static final long PRIMARY_MTIME = REPO_FILE_MTIME + 60;
  private static final String LAB_CACHE = "/var/cache/dnf/lab-demo-285393f3cfa089ec";

  private static String labListing(long primaryMtime) {
    return String.join("\n",
        primaryMtime + "|3540|" + LAB_CACHE + "/repodata/repomd.xml",
        primaryMtime + "|2910|" + LAB_CACHE
            + "/repodata/4dc82c85abbeb912f88f12d360b9cb94b7686f517f94a8def3d24a6f05cbe21a-primary.xml.gz",
        (primaryMtime + 1) + "|1265|" + LAB_CACHE
            + "/repodata/0a0ff673c6388bc13e3fa513e22cf27a510944ed4bd284e624447801caac9507-updateinfo.xml.gz",
        "");
  }

  private static HostRepoFacts lab(String dnfConf, String repoFile, long repoMtime, String listing, String expiredJson,
      long now) {
    return new HostRepoFacts("dnf", "x86_64", "", List.of(
        new HostConfigFile("/etc/dnf/dnf.conf", repoMtime - 10, dnfConf),
        new HostConfigFile("/etc/yum.repos.d/patchloop-lab.repo", repoMtime, repoFile),
        new HostConfigFile("/etc/dnf/vars/releasever", repoMtime, "2.0\n")), listing, expiredJson, now);
  }

  private static RepoCacheState only(RepoMetadataCheck.Result r) {
    assertThat(r.states()).hasSize(1);
    return r.states().get(0);
  }

  @Test
  void youngCacheIsFreshAndItsAgeIsMeasuredByThePrimaryFile() {
    var r = RepoMetadataCheck.decide(lab(text("lab/dnf.conf"), text("lab/patchloop-lab.repo"), REPO_FILE_MTIME,
        labListing(PRIMARY_MTIME), "[]", PRIMARY_MTIME + 100));

    RepoCacheState s = only(r);
    assertThat(s.cacheFound()).isTrue();
    assertThat(s.ageSeconds()).isEqualTo(100);
    assertThat(s.expired()).isFalse();
    assertThat(r.expiredRepoIds()).isEmpty();
    assertThat(r.warnings()).isEmpty();
  }

  @Test
  void expiredOnlyWhenOlderThanMetadataExpire() {
    long expire = 172800;
    var atLimit = RepoMetadataCheck.decide(lab(text("lab/dnf.conf"), text("lab/patchloop-lab.repo"), REPO_FILE_MTIME,
        labListing(PRIMARY_MTIME), "[]", PRIMARY_MTIME + expire));
    var past = RepoMetadataCheck.decide(lab(text("lab/dnf.conf"), text("lab/patchloop-lab.repo"), REPO_FILE_MTIME,
        labListing(PRIMARY_MTIME), "[]", PRIMARY_MTIME + expire + 1));

    // libdnf: getAge() > metadata_expire
    assertThat(only(atLimit).expired()).isFalse();
    assertThat(only(past).expired()).isTrue();
    assertThat(only(past).reason()).contains("metadata_expire 172800");
    assertThat(past.expiredRepoIds()).containsExactly("lab-demo");
  }

  @Test
  void aRepoFileNewerThanTheCacheExpiresItUnlessCheckConfigFileAgeIsOff() {
    long newerRepoFile = PRIMARY_MTIME + 1;
    var checked = RepoMetadataCheck.decide(lab(text("lab/dnf.conf"), text("lab/patchloop-lab.repo"), newerRepoFile,
        labListing(PRIMARY_MTIME), "[]", PRIMARY_MTIME + 5));
    var unchecked = RepoMetadataCheck.decide(lab(text("lab/dnf.conf") + "check_config_file_age=0\n",
        text("lab/patchloop-lab.repo"), newerRepoFile, labListing(PRIMARY_MTIME), "[]", PRIMARY_MTIME + 5));

    assertThat(only(checked).expired()).isTrue();
    assertThat(only(checked).reason()).contains("patchloop-lab.repo is newer");
    assertThat(only(unchecked).expired()).isFalse();
  }

  @Test
  void markedExpiredByCleanExpireCacheWinsEvenOverNever() {
    String never = text("lab/patchloop-lab.repo") + "metadata_expire=never\n";
    var marked = RepoMetadataCheck.decide(lab(text("lab/dnf.conf"), never, REPO_FILE_MTIME,
        labListing(PRIMARY_MTIME), "[\"lab-demo\", \"other\"]", PRIMARY_MTIME + 5));
    var notMarked = RepoMetadataCheck.decide(lab(text("lab/dnf.conf"), never, PRIMARY_MTIME + 50,
        labListing(PRIMARY_MTIME), "[\"other\"]", PRIMARY_MTIME + 10_000_000));

    assertThat(only(marked).expired()).isTrue();
    assertThat(only(marked).reason()).contains("expired_repos.json");
    // never: neither a newer repo file nor any age expires it (libdnf returns before both checks)
    assertThat(only(notMarked).expired()).isFalse();
    assertThat(only(notMarked).reason()).contains("never");
  }

  @Test
  void noCacheIsExpired() {
    var r = RepoMetadataCheck.decide(lab(text("lab/dnf.conf"), text("lab/patchloop-lab.repo"), REPO_FILE_MTIME,
        labListing(PRIMARY_MTIME).replace("lab-demo-285393f3cfa089ec", "lab-demo-0000000000000000"), "",
        PRIMARY_MTIME + 5));

    RepoCacheState s = only(r);
    assertThat(s.cacheFound()).isFalse();
    assertThat(s.ageSeconds()).isNull();
    assertThat(s.expired()).isTrue();
  }

  @Test
  void anUnreadableExpiredReposJsonMarksNothingAndSaysSo() {
    var r = RepoMetadataCheck.decide(lab(text("lab/dnf.conf"), text("lab/patchloop-lab.repo"), REPO_FILE_MTIME,
        labListing(PRIMARY_MTIME), "[\"lab-demo\"", PRIMARY_MTIME + 5));
    var hostile = RepoMetadataCheck.decide(lab(text("lab/dnf.conf"), text("lab/patchloop-lab.repo"),
        REPO_FILE_MTIME, labListing(PRIMARY_MTIME), "[\"lab-demo; reboot\"]", PRIMARY_MTIME + 5));

    assertThat(only(r).expired()).isFalse();
    assertThat(r.warnings()).singleElement().asString().contains("not JSON");
    assertThat(only(hostile).expired()).isFalse();
    assertThat(hostile.warnings()).singleElement().asString().contains("not a repository id");
  }

  @Test
  void listingLinesOfAnotherShapeAreDropped() {
    var r = RepoMetadataCheck.decide(lab(text("lab/dnf.conf"), text("lab/patchloop-lab.repo"), REPO_FILE_MTIME,
        labListing(PRIMARY_MTIME) + "x|y|/etc/passwd\n1|2|/var/cache/dnf/../../etc/shadow\n", "[]", PRIMARY_MTIME + 5));

    assertThat(only(r).expired()).isFalse();
    assertThat(r.warnings()).hasSize(2).allMatch(w -> w.startsWith("cache listing: ignored"));
  }

  @Test
  void perRepoMetadataExpireDecides() {
    List<HostConfigFile> files = List.of(new HostConfigFile("/etc/dnf/vars/releasever", 0, "8\n"),
        file("/etc/yum.repos.d/expiry.repo", REPO_FILE_MTIME, "expiry/expiry.repo"));
    RepoConfiguration config = RepoConfigReader.read(PackageManagerKind.DNF4, "x86_64", "", files);
    long age = 6000; // past 90m, within 6h
    StringBuilder listing = new StringBuilder();
    for (EnabledRepo repo : config.repos()) {
      listing.append(PRIMARY_MTIME).append("|10|").append(repo.cacheDir()).append("/repodata/primary.xml.zck\n");
    }
    List<String> warnings = new ArrayList<>();
    List<RepoCacheState> states = RepoFreshness.assess(config, RepoCacheListing.parse(listing.toString()), null,
        PRIMARY_MTIME + age, warnings);

    assertThat(states).extracting(s -> s.repo().id() + "=" + s.expired()).containsExactly(
        "never-word=false", "never-number=false", "six-hours=false", "ninety-minutes=true", "main-default=false",
        "invalid-expire=false");
    assertThat(warnings).isEmpty();
  }

  @Test
  void yumCookieRules() {
    String cache = "/var/cache/yum/x86_64/7/base";
    long yumConfMtime = REPO_FILE_MTIME;
    long cookie = REPO_FILE_MTIME + 100;
    List<HostConfigFile> files = List.of(
        file("/etc/yum.conf", yumConfMtime, "centos7/yum.conf"),
        file("/etc/yum.repos.d/CentOS-Base.repo", REPO_FILE_MTIME, "centos7/CentOS-Base.repo"),
        file("/etc/yum/vars/infra", 0, "centos7/infra"));
    String listing = cookie + "|0|" + cache + "/cachecookie\n" + cookie + "|3736|" + cache + "/repomd.xml\n";
    String query = text("centos7/releasever-query.txt");

    var fresh = RepoMetadataCheck.decide(new HostRepoFacts("yum", "x86_64", query, files, listing, null,
        cookie + 21599));
    var atLimit = RepoMetadataCheck.decide(new HostRepoFacts("yum", "x86_64", query, files, listing, null,
        cookie + 21600));
    List<HostConfigFile> newerYumConf = new ArrayList<>(files);
    newerYumConf.set(0, file("/etc/yum.conf", cookie + 1, "centos7/yum.conf"));
    var configNewer = RepoMetadataCheck.decide(new HostRepoFacts("yum", "x86_64", query, newerYumConf, listing,
        null, cookie + 10));

    assertThat(fresh.states()).extracting(RepoCacheState::expired).containsExactly(false, true, true);
    // yum: fresh while mtime(cookie) + metadata_expire > now, so at exactly 6 h it is expired
    assertThat(atLimit.states().get(0).expired()).isTrue();
    assertThat(configNewer.states().get(0).expired()).isTrue();
    assertThat(configNewer.states().get(0).reason()).contains("newer than the cachecookie");
    assertThat(fresh.states().get(1).reason()).contains("no cachecookie");
  }

  @Test
  void dnf5NamesItsCacheLikeLibdnfAndMarksExpiryInAttrs() {
    List<HostConfigFile> files = List.of(
        file("/etc/dnf/dnf.conf", REPO_FILE_MTIME, "lab/dnf.conf"),
        file("/etc/yum.repos.d/patchloop-lab.repo", REPO_FILE_MTIME, "lab/patchloop-lab.repo"),
        file("/etc/dnf/vars/releasever", REPO_FILE_MTIME, "lab/releasever"));
    String dir = "/var/cache/libdnf5/lab-demo-285393f3cfa089ec";
    String listing = PRIMARY_MTIME + "|2910|" + dir + "/repodata/abc-primary.xml.zst\n";

    var fresh = RepoMetadataCheck.decide(new HostRepoFacts("dnf5", "x86_64", "", files, listing, null,
        PRIMARY_MTIME + 10));
    var marked = RepoMetadataCheck.decide(new HostRepoFacts("dnf5", "x86_64", "", files,
        listing + PRIMARY_MTIME + "|0|" + dir + "/attrs/expired\n", null, PRIMARY_MTIME + 10));

    assertThat(only(fresh).repo().cacheDir()).isEqualTo(dir);
    assertThat(only(fresh).expired()).isFalse();
    assertThat(only(marked).expired()).isTrue();
    assertThat(only(marked).reason()).contains("attrs/expired");
  }

  @Test
  void unknownPackageManagerIsRefused() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> RepoMetadataCheck.decide(
        new HostRepoFacts("zypper", "x86_64", "", List.of(), "", null, 0)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
