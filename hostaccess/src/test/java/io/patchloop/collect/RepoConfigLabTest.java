package io.patchloop.collect;

import static org.assertj.core.api.Assertions.assertThat;

import io.patchloop.testing.lab.LabFleet;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Java reading of repository configuration and cache against real dnf 4 on lab hosts: the
 * enabled set equals {@code dnf repolist enabled}, the cache directories equal the ones dnf names
 * and makes, and every expiry decision equals what dnf then does (it says "repo: using cache for"
 * when the cache is fresh and revives or downloads it when expired; the primary file's mtime moves
 * only then).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RepoConfigLabTest {

  @RegisterExtension
  static LabFleet fleet = LabFleet.builder().hosts(2).profile("demo").build();

  private static final String LAB_REPO_FILE = "/etc/yum.repos.d/patchloop-lab.repo";
  private static final String FILE_MARK = "@@file ";

  /** What a collector script would send: the files by cat (base64 here, to frame them), the rest as is. */
  private HostRepoFacts facts(int host) {
    LabFleet.Result files = ssh(host, "for f in " + RepoConfigReader.DEFAULT_CONFIG_FILES
        + "; do [ -f \"$f\" ] || continue;"
        + " printf '" + FILE_MARK + "%s %s\\n' \"$(stat -c %Y \"$f\")\" \"$f\"; base64 -w0 \"$f\"; echo; done");
    List<HostConfigFile> configFiles = new ArrayList<>();
    List<String> lines = files.lines();
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).startsWith(FILE_MARK)) {
        String[] head = lines.get(i).substring(FILE_MARK.length()).split(" ", 2);
        String content = new String(Base64.getDecoder().decode(lines.get(i + 1).strip()), StandardCharsets.UTF_8);
        configFiles.add(new HostConfigFile(head[1], Long.parseLong(head[0]), content));
      }
    }
    String uname = ssh(host, "uname -m").stdout().strip();
    String releasever = fleet.ssh(host, ReleaseverQuery.RPM_QUERY).stdout();
    LabFleet.Result cache = fleet.ssh(host, "date +%s; " + RepoCacheListing.LISTING_COMMAND);
    String now = cache.stdout().lines().findFirst().orElseThrow();
    String listing = cache.stdout().substring(cache.stdout().indexOf('\n') + 1);
    String expired = fleet.ssh(host, "cat /var/cache/dnf/expired_repos.json 2>/dev/null").stdout();
    return new HostRepoFacts("dnf", uname, releasever, configFiles, listing, expired, Long.parseLong(now.strip()));
  }

  private static LabFleet.Result ssh(int host, String command) {
    LabFleet.Result r = fleet.ssh(host, command);
    assertThat(r.exitCode()).as("%s: %s", command, r.stderr()).isZero();
    return r;
  }

  private static void write(int host, String path, String content) {
    String b64 = Base64.getEncoder().encodeToString(content.getBytes(StandardCharsets.UTF_8));
    ssh(host, "printf '%s' '" + b64 + "' | base64 -d > '" + path + "'");
  }

  /** The ids {@code dnf -q repolist enabled} prints. */
  private static Set<String> dnfEnabled(int host) {
    return ssh(host, "dnf -q repolist enabled").lines().stream()
        .filter(l -> !l.isBlank() && !l.startsWith("repo id"))
        .map(l -> l.split("\\s+")[0]).collect(Collectors.toCollection(TreeSet::new));
  }

  /** dnf's own Repo.getCachedir() for each enabled repository, read through python3-dnf on the host. */
  private static Map<String, String> dnfCacheDirs(int host) {
    String py = "import dnf\n"
        + "b = dnf.Base()\n"
        + "b.conf.read()\n"
        + "b.conf.substitutions.update_from_etc('/')\n"
        + "b.read_all_repos()\n"
        + "for r in b.repos.iter_enabled():\n"
        + "    print(r.id, r._repo.getCachedir())\n";
    String b64 = Base64.getEncoder().encodeToString(py.getBytes(StandardCharsets.UTF_8));
    Map<String, String> dirs = new LinkedHashMap<>();
    for (String line : ssh(host, "printf '%s' '" + b64 + "' | base64 -d | /usr/bin/python3 -").lines()) {
      String[] parts = line.strip().split(" ");
      if (parts.length == 2) {
        dirs.put(parts[0], parts[1]);
      }
    }
    return dirs;
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2})
  void enabledReposAndCacheDirsAreDnfs(int host) {
    write(host, "/etc/dnf/vars/infra", "lab\n");
    write(host, "/etc/yum.repos.d/zz-extra.repo", """
        [extra-on]
        name=extra on $releasever
        baseurl=http://127.0.0.1:9/extra/$releasever/$basearch/
          http://127.0.0.1:9/extra-mirror/
        [extra-off]
        name=off
        baseurl=http://127.0.0.1:9/off/
        enabled=0
        [extra-mirrorlist]
        name=mirrorlist with a variable of a vars file
        mirrorlist=http://127.0.0.1:9/mirrors?release=$releasever&arch=$basearch&infra=$infra
        enabled=yes
        [extra-metalink]
        name=metalink beats baseurl
        baseurl=http://127.0.0.1:9/ml-base/
        metalink=http://127.0.0.1:9/metalink?repo=x&arch=$basearch
        [extra-$basearch]
        name=arch in the id
        baseurl=http://127.0.0.1:9/x/
        enabled=True
        [extra-nourl]
        name=no url: dnf still lists it
        [bad;id]
        name=refused by dnf and by us
        baseurl=http://127.0.0.1:9/bad/
        """);
    write(host, "/etc/yum.repos.d/zz-broken.repo", "[broken-one]\nbaseurl=http://127.0.0.1:9/b/\n\n  continued\n");
    try {
      RepoMetadataCheck.Result ours = RepoMetadataCheck.decide(facts(host));
      Map<String, String> ourDirs = ours.configuration().repos().stream()
          .collect(Collectors.toMap(EnabledRepo::id, EnabledRepo::cacheDir));

      Set<String> dnfIds = dnfEnabled(host);
      String archId = "extra-" + ours.configuration().variables().get("basearch");
      assertThat(dnfIds).contains("lab-demo", "extra-on", archId, "extra-nourl", "extra-metalink", "extra-mirrorlist")
          .doesNotContain("extra-off", "broken-one");
      assertThat(new TreeSet<>(ourDirs.keySet())).isEqualTo(dnfIds);
      assertThat(ourDirs).isEqualTo(dnfCacheDirs(host));
      assertThat(ours.warnings()).anyMatch(w -> w.contains("zz-broken.repo skipped"))
          .anyMatch(w -> w.contains("[bad;id] refused"));
    } finally {
      ssh(host, "rm -f /etc/yum.repos.d/zz-extra.repo /etc/yum.repos.d/zz-broken.repo /etc/dnf/vars/infra");
    }

    ssh(host, "dnf -q makecache");
    RepoMetadataCheck.Result after = RepoMetadataCheck.decide(facts(host));
    EnabledRepo lab = after.configuration().repos().stream().filter(r -> r.id().equals("lab-demo")).findFirst()
        .orElseThrow();
    // the directory dnf made is the one we named, and the only one of lab-demo
    assertThat(fleet.ssh(host, "test -d '" + lab.cacheDir() + "/repodata'").exitCode()).isZero();
    assertThat(RepoCacheListing.parse(facts(host).cacheListing()).repodataParents("/var/cache/dnf"))
        .filteredOn(d -> d.startsWith("/var/cache/dnf/lab-demo-")).containsExactly(lab.cacheDir());
    assertThat(after.states()).singleElement().satisfies(s -> {
      assertThat(s.cacheFound()).isTrue();
      assertThat(s.expired()).as(s.reason()).isFalse();
    });
  }

  /** What dnf did with lab-demo's cache in a command that loads repositories: refreshed it or used it. */
  private record DnfVerdict(boolean refreshed, long primaryMtimeBefore, long primaryMtimeAfter) {}

  private static long primaryMtime(int host) {
    return Long.parseLong(ssh(host, "stat -c %Y /var/cache/dnf/lab-demo-*/repodata/*-primary.xml*").stdout().strip());
  }

  private static DnfVerdict dnfLoads(int host) {
    long before = primaryMtime(host);
    LabFleet.Result r = fleet.ssh(host, "dnf -v check-update 2>&1");
    assertThat(r.exitCode()).as(r.stdout()).isIn(0, 100);
    boolean usedCache = r.stdout().contains("repo: using cache for: lab-demo");
    boolean refreshed = r.stdout().contains("reviving: 'lab-demo'") || r.stdout().contains("downloading from remote: lab-demo");
    assertThat(usedCache ^ refreshed).as("dnf said exactly one of using cache / refreshing:\n%s", r.stdout()).isTrue();
    return new DnfVerdict(refreshed, before, primaryMtime(host));
  }

  private RepoCacheState ours(int host) {
    RepoMetadataCheck.Result r = RepoMetadataCheck.decide(facts(host));
    assertThat(r.warnings()).isEmpty();
    Map<String, RepoCacheState> states = r.states().stream()
        .collect(Collectors.toMap(s -> s.repo().id(), Function.identity()));
    return states.get("lab-demo");
  }

  /** Our decision first, then dnf's behaviour, which must agree with it. */
  private RepoCacheState expectAndConfirm(int host, boolean expired, String reasonPart) {
    RepoCacheState s = ours(host);
    assertThat(s.expired()).as(s.reason()).isEqualTo(expired);
    assertThat(s.reason()).contains(reasonPart);
    DnfVerdict dnf = dnfLoads(host);
    assertThat(dnf.refreshed()).as("dnf refreshed lab-demo").isEqualTo(expired);
    if (expired) {
      assertThat(dnf.primaryMtimeAfter()).isGreaterThan(dnf.primaryMtimeBefore());
    } else {
      assertThat(dnf.primaryMtimeAfter()).isEqualTo(dnf.primaryMtimeBefore());
    }
    return s;
  }

  private static void sleepPastSecond(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2})
  void expiryDecisionsAreDnfs(int host) {
    String original = ssh(host, "cat " + LAB_REPO_FILE).stdout();
    try {
      ssh(host, "dnf -q makecache");
      sleepPastSecond(1100);
      // right after makecache: fresh, and dnf uses the cache
      expectAndConfirm(host, false, "within metadata_expire 172800");

      // metadata_expire=1: writing the file makes it newer than the cache, which alone expires it
      sleepPastSecond(1100);
      write(host, LAB_REPO_FILE, original + "metadata_expire=1\n");
      expectAndConfirm(host, true, "is newer than the cached metadata");

      // now the cache is newer than the file; two seconds later it is older than 1 s
      sleepPastSecond(2200);
      RepoCacheState aged = expectAndConfirm(host, true, "metadata_expire 1 s");
      assertThat(aged.ageSeconds()).isGreaterThan(1);

      // and makecache really refreshes it
      sleepPastSecond(1100);
      long before = primaryMtime(host);
      ssh(host, "dnf -q makecache");
      assertThat(primaryMtime(host)).isGreaterThan(before);

      // back to the default 48 h: the file is newer again; after makecache it is fresh
      sleepPastSecond(1100);
      write(host, LAB_REPO_FILE, original);
      assertThat(ours(host).expired()).isTrue();
      ssh(host, "dnf -q makecache");
      sleepPastSecond(1100);
      expectAndConfirm(host, false, "within metadata_expire");

      // dnf clean expire-cache marks it in expired_repos.json
      ssh(host, "dnf -q clean expire-cache");
      assertThat(ssh(host, "cat /var/cache/dnf/expired_repos.json").stdout()).contains("lab-demo");
      sleepPastSecond(1100);
      expectAndConfirm(host, true, "expired_repos.json");
      // the run that refreshed it took it off the list
      expectAndConfirm(host, false, "within metadata_expire");

      // never: a newer repo file does not expire it, nor does age
      sleepPastSecond(1100);
      write(host, LAB_REPO_FILE, original + "metadata_expire=never\n");
      expectAndConfirm(host, false, "never");
      // but expire-cache does, even then
      ssh(host, "dnf -q clean expire-cache");
      sleepPastSecond(1100);
      expectAndConfirm(host, true, "expired_repos.json");
    } finally {
      write(host, LAB_REPO_FILE, original);
    }
  }
}
