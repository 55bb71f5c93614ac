package io.patchloop.collect;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * SYNTHESIZED, not captured: the probe output of a CentOS 7 host with yum 3, for which the lab has
 * no host (its hosts run dnf). Written by hand after yum 3.4.3 and CentOS 7's files: {@code
 * /etc/yum.conf} with {@code cachedir=/var/cache/yum/$basearch/$releasever} and
 * {@code distroverpkg=centos-release} (no vars file: {@code $releasever} comes from the rpm
 * database), {@code CentOS-Base.repo} with mirrorlists, and the cache laid out as yum's
 * {@code yumRepo.py} keeps it: per repository {@code <cachedir>/<id>/} holding {@code cachecookie},
 * {@code repomd.xml} and the metadata files themselves ({@code _retrieveMD}: {@code local =
 * self.cachedir + '/' + basename(location)}), no {@code repodata/} directory.
 *
 * <p>The cache listing is not typed in: the cache is made as files in a temporary directory and
 * the collector's own listing command ({@link RepoCacheListing#LISTING_COMMAND}) runs over it, so
 * the listing is what the command finds in that layout.
 *
 * <p>Two enabled repositories: {@code base} without updateinfo (as CentOS 7's) and {@code updates}
 * with the demo profile's updateinfo; {@code centosplus} is disabled. The rpm database is the demo
 * missing-some host's (so its advisories are known from the demo manifest) plus centos-release.
 */
final class SynthesizedYumHost {

  static final String CACHE = "/var/cache/yum/x86_64/7";
  static final long NOW = 1_796_200_000L;

  private static final String YUM_CONF = """
      [main]
      cachedir=/var/cache/yum/$basearch/$releasever
      keepcache=0
      debuglevel=2
      logfile=/var/log/yum.log
      exactarch=1
      obsoletes=1
      gpgcheck=1
      plugins=1
      installonly_limit=5
      bugtracker_url=http://bugs.centos.org/set_project.php?project_id=23&ref=http://bugs.centos.org/bug_report.php?category=Kernel
      distroverpkg=centos-release
      """;

  private static final String BASE_REPO = """
      # CentOS-Base.repo
      [base]
      name=CentOS-$releasever - Base
      mirrorlist=http://mirrorlist.centos.org/?release=$releasever&arch=$basearch&repo=os&infra=$infra
      #baseurl=http://mirror.centos.org/centos/$releasever/os/$basearch/
      gpgcheck=1
      gpgkey=file:///etc/pki/rpm-gpg/RPM-GPG-KEY-CentOS-7

      #released updates
      [updates]
      name=CentOS-$releasever - Updates
      mirrorlist=http://mirrorlist.centos.org/?release=$releasever&arch=$basearch&repo=updates&infra=$infra
      #baseurl=http://mirror.centos.org/centos/$releasever/updates/$basearch/
      gpgcheck=1
      gpgkey=file:///etc/pki/rpm-gpg/RPM-GPG-KEY-CentOS-7

      [centosplus]
      name=CentOS-$releasever - Plus
      mirrorlist=http://mirrorlist.centos.org/?release=$releasever&arch=$basearch&repo=centosplus&infra=$infra
      gpgcheck=1
      enabled=0
      gpgkey=file:///etc/pki/rpm-gpg/RPM-GPG-KEY-CentOS-7
      """;

  /**
   * What {@link ReleaseverQuery#RPM_QUERY} prints on CentOS 7: centos-release provides redhat-release,
   * system-release and system-release(releasever) (flags 8, RPMSENSE_EQUAL); rpm says so on stdout
   * for a provide no package has.
   */
  private static final String RELEASEVER = """
      Q system-release(releasever)
      P centos-release|7
      R centos-release|8|7-9.2009.1.el7.centos
      R centos-release(upstream)|8|7.9
      R centos-release(x86-64)|8|7-9.2009.1.el7.centos
      R redhat-release|8|7.9
      R system-release|8|7.9
      R system-release(releasever)|8|7
      Q system-release
      P centos-release|7
      R centos-release|8|7-9.2009.1.el7.centos
      Q distribution-release(releasever)
      no package provides distribution-release(releasever)
      Q distribution-release
      no package provides distribution-release
      Q redhat-release
      P centos-release|7
      R centos-release|8|7-9.2009.1.el7.centos
      Q suse-release
      no package provides suse-release
      Q centos-release
      P centos-release|7
      R centos-release|8|7-9.2009.1.el7.centos
      R centos-release(upstream)|8|7.9
      """;

  /** The updates repository's updateinfo: the demo profile's. */
  final String updateInfoXml = Fixtures.read("demo/updateinfo.xml");
  final String updateInfoPath;
  final String probe;
  private final String cacheState;

  /**
   * @param root an empty directory for the cache replica
   * @param baseCookieAge seconds since base's cachecookie was written
   * @param updatesCookieAge the same for updates
   */
  SynthesizedYumHost(Path root, long baseCookieAge, long updatesCookieAge) {
    String updateInfoName = "6a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9-updateinfo.xml.bz2";
    this.updateInfoPath = CACHE + "/updates/" + updateInfoName;
    String baseRepomd = repomd(null);
    String updatesRepomd = repomd(updateInfoName);
    write(root, CACHE + "/base/cachecookie", "", NOW - baseCookieAge);
    write(root, CACHE + "/base/repomd.xml", baseRepomd, NOW - baseCookieAge);
    write(root, CACHE + "/base/mirrorlist.txt", "http://mirror.centos.org/centos/7/os/x86_64/\n", NOW - baseCookieAge);
    write(root, CACHE + "/base/d6d94c7d406fe7ad4902a97104b39a0d8299451832a97f31d71653ba982c955b-primary.sqlite.bz2",
        "BZh", NOW - baseCookieAge);
    write(root, CACHE + "/base/gen/primary_db.sqlite", "SQLite", NOW - baseCookieAge);
    write(root, CACHE + "/updates/cachecookie", "", NOW - updatesCookieAge);
    write(root, CACHE + "/updates/repomd.xml", updatesRepomd, NOW - updatesCookieAge);
    write(root, CACHE + "/updates/" + updateInfoName, "BZh", NOW - updatesCookieAge);
    write(root, CACHE + "/updates/gen/updateinfo.xml", updateInfoXml, NOW - updatesCookieAge);
    write(root, CACHE + "/updates/packages/.keep", "", NOW - updatesCookieAge);
    StringBuilder state = new StringBuilder();
    state.append(FramedText.section("expired-repos", "")); // yum has no expired_repos.json: cat prints nothing
    state.append(FramedText.section("cache-listing", listing(root)));
    state.append(FramedText.section("repomd " + CACHE + "/base", baseRepomd));
    state.append(FramedText.section("repomd " + CACHE + "/updates", updatesRepomd));
    this.cacheState = state.toString();

    String rpm = FramedText.body(Fixtures.read("demo/missing-some/probe.txt"), "rpm")
        + "centos-release|(none)|7|9.2009.1.el7.centos|x86_64|1700000000\n";
    this.probe = FramedText.section("os-release", """
            NAME="CentOS Linux"
            VERSION="7 (Core)"
            ID="centos"
            ID_LIKE="rhel fedora"
            VERSION_ID="7"
            PRETTY_NAME="CentOS Linux 7 (Core)"
            ANSI_COLOR="0;31"
            CPE_NAME="cpe:/o:centos:centos:7"
            """)
        + FramedText.section("uname", "3.10.0-1160.el7.x86_64\n")
        + FramedText.section("arch", "x86_64\n")
        + FramedText.section("boot", NOW + "\n" + (NOW - 86_400) + "\n86400.52\n")
        + FramedText.section("package-manager", "yum\n")
        + FramedText.section("file 1600000000 /etc/yum.conf", YUM_CONF)
        + FramedText.section("file 1600000000 /etc/yum.repos.d/CentOS-Base.repo", BASE_REPO)
        + FramedText.section("releasever", RELEASEVER)
        + FramedText.section("rpm", rpm)
        + FramedText.section("kernels", "kernel-core\nkernel\n")
        + cacheState
        + FramedText.section("end", "");
  }

  /** The refresh's output: {@code yum makecache fast} succeeded and the cache is as it was (a mirror with nothing new). */
  String refresh() {
    return FramedText.section("makecache", "exit=0\n") + cacheState + FramedText.section("end", "");
  }

  ReplayedHostSession session() {
    return new ReplayedHostSession().probe(probe).updateInfo(updateInfoPath, updateInfoXml);
  }

  private String repomd(String updateInfoName) {
    String primary = """
          <data type="primary_db">
            <checksum type="sha256">d6d94c7d406fe7ad4902a97104b39a0d8299451832a97f31d71653ba982c955b</checksum>
            <location href="repodata/d6d94c7d406fe7ad4902a97104b39a0d8299451832a97f31d71653ba982c955b-primary.sqlite.bz2"/>
            <database_version>10</database_version>
          </data>
        """;
    String updateInfo = updateInfoName == null ? "" : """
          <data type="updateinfo">
            <checksum type="sha256">%s</checksum>
            <open-checksum type="sha256">%s</open-checksum>
            <location href="repodata/%s"/>
          </data>
        """.formatted(updateInfoName.substring(0, 64), CapturedHost.sha256(updateInfoXml).substring(7), updateInfoName);
    return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<repomd xmlns=\"http://linux.duke.edu/metadata/repo\">\n"
        + "  <revision>1604000000</revision>\n" + primary + updateInfo + "</repomd>\n";
  }

  private static void write(Path root, String path, String content, long mtime) {
    try {
      Path file = root.resolve(path.substring(1));
      Files.createDirectories(file.getParent());
      Files.writeString(file, content);
      Files.setLastModifiedTime(file, FileTime.from(mtime, TimeUnit.SECONDS));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Runs the collector's listing command over the replica, its roots moved under {@code root}, and moves them back. */
  private static String listing(Path root) {
    String command = RepoCacheListing.LISTING_COMMAND.replace("/var/cache/", root + "/var/cache/");
    try {
      Process p = new ProcessBuilder("/bin/sh", "-c", command).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (p.waitFor() != 0 && out.isEmpty()) {
        throw new AssertionError("the listing command failed");
      }
      List<String> lines = new ArrayList<>(out.replace("|" + root + "/var/cache/", "|/var/cache/").lines().sorted().toList());
      return String.join("\n", lines) + "\n";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
