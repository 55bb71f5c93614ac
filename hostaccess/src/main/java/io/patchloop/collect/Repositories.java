package io.patchloop.collect;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A host's enabled repositories with their cached metadata: which must be refreshed (by dnf's rule,
 * {@link RepoMetadataCheck}), which cannot be used and why, and where each one's updateinfo file is
 * and what checksum it has.
 */
final class Repositories {

  private static final Logger log = LoggerFactory.getLogger(Repositories.class);

  /**
   * One repository's updateinfo file in the host's cache.
   *
   * @param path absolute path on the host
   * @param checksum the catalog key: {@code <type>:<hex>} of the uncompressed file, from repomd.xml
   */
  record UpdateInfoSource(String repoId, String path, String checksum) {}

  private final RepoMetadataCheck.Result check;
  private final RepoCacheListing listing;
  private final Map<String, String> repomdByDir;
  private final List<UpdateInfoSource> updateInfo = new ArrayList<>();
  private final List<String> unusable = new ArrayList<>();
  private final long hostNow;
  private Long metadataAgeSeconds;

  private Repositories(RepoMetadataCheck.Result check, RepoCacheListing listing, Map<String, String> repomdByDir,
      long hostNow) {
    this.check = check;
    this.listing = listing;
    this.repomdByDir = repomdByDir;
    this.hostNow = hostNow;
    locateUpdateInfo();
  }

  /**
   * From the configuration files the probe read ({@code facts}) and the cache as a collector
   * command listed it ({@code cacheState}: the probe's own output, or a refresh's).
   */
  static Repositories of(HostFacts facts, CollectorOutput cacheState) {
    String cacheListing = cacheState.sections().getOrDefault("cache-listing", "");
    RepoMetadataCheck.Result check = RepoMetadataCheck.decide(new HostRepoFacts(facts.packageManager(), facts.arch(),
        facts.releaseverQuery(), facts.configFiles(), cacheListing, cacheState.sections().get("expired-repos"),
        facts.hostNow()));
    check.warnings().forEach(w -> log.info("repository configuration: {}", w));
    Map<String, String> repomds = new HashMap<>();
    cacheState.each("repomd", repomds::put);
    return new Repositories(check, check.listing(), repomds, facts.hostNow());
  }

  List<String> enabledIds() {
    return check.configuration().repos().stream().map(EnabledRepo::id).toList();
  }

  /** The enabled repositories whose metadata the package manager would refresh before using it. */
  List<String> expiredIds() {
    return check.expiredRepoIds();
  }

  /** Why the advisories of some enabled repository are unknown; empty when all are usable. */
  List<String> unusable() {
    return List.copyOf(unusable);
  }

  List<UpdateInfoSource> updateInfo() {
    return List.copyOf(updateInfo);
  }

  /** How old the oldest enabled repository's metadata is, by the host's clock; null when none is cached. */
  Long metadataAgeSeconds() {
    return metadataAgeSeconds;
  }

  /** {@code <repo id>-<hash>} (dnf) or {@code <repo id>} (yum): the directory named after the repository. */
  static String repoDirName(String repomdDir) {
    String p = repomdDir.endsWith("/repodata") ? repomdDir.substring(0, repomdDir.length() - "/repodata".length()) : repomdDir;
    return p.substring(p.lastIndexOf('/') + 1);
  }

  /** Among the cached repomd.xml directories named after this repository, the one written last. */
  private String freshestOtherCacheOf(String repoId, boolean yum) {
    String best = null;
    long bestTime = Long.MIN_VALUE;
    for (String dir : repomdByDir.keySet()) {
      if (!yum && !dir.endsWith("/repodata")) {
        continue;
      }
      String name = repoDirName(dir);
      boolean ofRepo = yum ? name.equals(repoId) : name.startsWith(repoId + "-")
          && name.substring(repoId.length() + 1).matches("[0-9a-f]{16}");
      long time = listing.file(dir + "/repomd.xml").map(RepoCacheListing.CachedFile::mtimeEpochSeconds).orElse(Long.MIN_VALUE);
      if (ofRepo && time > bestTime) {
        best = dir;
        bestTime = time;
      }
    }
    return best;
  }

  /** By dnf's measure: since the primary file's time (dnf touches it when the mirror still has the same); else repomd.xml's. */
  private long ageOf(String dir, String primaryFile) {
    var file = primaryFile == null ? java.util.Optional.<RepoCacheListing.CachedFile>empty() : listing.file(dir + "/" + primaryFile);
    long mtime = file.or(() -> listing.file(dir + "/repomd.xml")).map(RepoCacheListing.CachedFile::mtimeEpochSeconds)
        .orElse(hostNow);
    return hostNow - mtime;
  }

  private void locateUpdateInfo() {
    if (check.states().isEmpty()) {
      unusable.add("no repository is enabled");
    }
    boolean yum = check.configuration().packageManager() == PackageManagerKind.YUM;
    for (RepoCacheState state : check.states()) {
      EnabledRepo repo = state.repo();
      String dir = repo.cacheDir() == null ? null : yum ? repo.cacheDir() : repo.cacheDir() + "/repodata";
      Long age = state.cacheFound() ? state.ageSeconds() : null;
      if (!state.cacheFound() || dir == null || !repomdByDir.containsKey(dir)) {
        // the cache dnf would use is not there; the freshest one of the same repository id is what the
        // collector before used: the URL changed, or the directory was named in a way not worked out here
        dir = freshestOtherCacheOf(repo.id(), yum);
        if (dir == null) {
          unusable.add(repo.id() + ": no cached metadata" + (repo.cacheDir() == null ? "" : " in " + repo.cacheDir()));
          continue;
        }
        log.warn("{}: no cached metadata in {} (as its configuration names it); using {}", repo.id(), repo.cacheDir(), dir);
        age = ageOf(dir, null);
      }
      Repomd repomd;
      try {
        repomd = Repomd.parse(repomdByDir.get(dir), "repository " + repo.id());
      } catch (RuntimeException unreadable) {
        unusable.add(repo.id() + ": " + unreadable.getMessage());
        continue;
      }
      if (age == null) {
        age = ageOf(dir, repomd.primaryFile());
      }
      metadataAgeSeconds = Math.max(metadataAgeSeconds == null ? 0 : metadataAgeSeconds, Math.max(0, age));
      if (repomd.updateInfo().isEmpty()) {
        continue; // a repository without advisories is no fault
      }
      Repomd.UpdateInfoRef ref = repomd.updateInfo().get();
      String path = dir + "/" + ref.fileName();
      if (listing.file(path).isEmpty()) {
        unusable.add(repo.id() + ": its repomd.xml lists updateinfo, but the file is not in the cache");
      } else if (ref.fileName().endsWith(".zck")) {
        unusable.add(repo.id() + ": its updateinfo is zchunk-compressed, which Patchloop cannot read yet");
      } else if (!CollectorScript.CACHED_FILE.matcher(path).matches()) {
        unusable.add(repo.id() + ": its updateinfo is at a path Patchloop does not read (" + path + ")");
      } else {
        updateInfo.add(new UpdateInfoSource(repo.id(), path, ref.key()));
      }
    }
  }
}
