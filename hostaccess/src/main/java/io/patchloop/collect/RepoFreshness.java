package io.patchloop.collect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Whether each enabled repository's cached metadata is expired, by the package manager's own rule,
 * from a listing of the cache (names, mtimes, sizes) instead of by starting the package manager.
 *
 * <p>dnf 4 (libdnf 0.6x, {@code libdnf/repo/Repo.cpp}: {@code Repo::Impl::load},
 * {@code resetMetadataExpired}, {@code getAge}, {@code isExpired}), in this order:
 * <ol>
 *   <li>no cache (no primary metadata file in {@code <cachedir>/repodata}): {@code loadCache} fails
 *       and dnf downloads: expired;</li>
 *   <li>listed in {@code <cachedir>/expired_repos.json} (dnf/persistor.py; written by
 *       {@code dnf clean expire-cache} and by every run for repositories that were still expired
 *       at its end; dnf/cli/cli.py calls {@code expire()} for each): expired, whatever follows;</li>
 *   <li>metadata_expire -1 (never): fresh;</li>
 *   <li>check_config_file_age and the repository's file is newer than the primary file
 *       ({@code mtime(repoFilePath) > mtime(primary)}): expired;</li>
 *   <li>else expired when {@code now - mtime(primary) > metadata_expire}; the age is measured by the
 *       primary file's mtime ({@code getAge() = time(NULL) - mtime(getMetadataPath("primary"))}),
 *       which libdnf also touches when it finds expired metadata still in sync with the mirror.</li>
 * </ol>
 * dnf 5 ({@code libdnf5/repo/repo.cpp} {@code Repo::recompute_expired}, {@code get_age}) has the
 * same rule in the same order, except that its mark is a file {@code <repo cache>/attrs/expired}
 * ({@code RepoCache::ATTRIBUTE_EXPIRED} in the {@code attrs} directory, libdnf5/repo/repo_cache.cpp)
 * instead of expired_repos.json.
 *
 * <p>yum 3 (yum 3.4.3 yum/yumRepo.py {@code withinCacheAge} and {@code metadataCurrent}): the
 * {@code <cachedir>/cachecookie} file is the clock. No cookie: expired. metadata_expire -1: fresh.
 * Fresh while {@code mtime(cookie) + metadata_expire > now}; with check_config_file_age, expired when
 * the cookie is older than the repository's config age (the later of its .repo file and yum.conf).
 * A fresh cookie without {@code repomd.xml} beside it is not current either.
 */
public final class RepoFreshness {

  /** A primary metadata file as createrepo names it ({@code [<checksum>-]primary.xml[.gz|...]}). */
  private static final Pattern PRIMARY = Pattern.compile("(?:.*-)?primary\\.xml(?:\\.(?:gz|bz2|xz|zst|zck))?");
  private static final ObjectMapper JSON = new ObjectMapper();

  private RepoFreshness() {}

  /**
   * @param config the enabled repositories
   * @param cache the host's cache listing
   * @param expiredReposJson the content of {@code <cachedir>/expired_repos.json} (dnf 4); null or empty when absent
   * @param nowEpochSeconds the host's clock (its {@code date +%s}), since the mtimes are by that clock
   * @param warnings where to say what could not be read
   */
  public static List<RepoCacheState> assess(RepoConfiguration config, RepoCacheListing cache, String expiredReposJson,
      long nowEpochSeconds, List<String> warnings) {
    Set<String> markedExpired = config.packageManager() == PackageManagerKind.DNF4
        ? expiredRepos(expiredReposJson, warnings) : Set.of();
    List<RepoCacheState> states = new ArrayList<>();
    for (EnabledRepo repo : config.repos()) {
      states.add(config.packageManager() == PackageManagerKind.YUM
          ? yum(repo, config.checkConfigFileAge(), cache, nowEpochSeconds)
          : dnf(repo, config.checkConfigFileAge(), cache, markedExpired, nowEpochSeconds, warnings));
    }
    return states;
  }

  private static RepoCacheState dnf(EnabledRepo repo, boolean checkConfigFileAge, RepoCacheListing cache,
      Set<String> markedExpired, long now, List<String> warnings) {
    if (repo.cacheDir() == null) {
      return new RepoCacheState(repo, false, null, true, "no cache directory can be named (cachedir unusable)");
    }
    List<RepoCacheListing.CachedFile> primaries = cache.filesIn(repo.cacheDir() + "/repodata").stream()
        .filter(f -> PRIMARY.matcher(f.name()).matches()).toList();
    if (primaries.isEmpty()) {
      return new RepoCacheState(repo, false, null, true, "no cached metadata in " + repo.cacheDir());
    }
    if (primaries.size() > 1) {
      // libdnf reads the one repomd.xml names; a listing cannot tell, and the newest is the last download
      warnings.add(repo.id() + ": " + primaries.size() + " primary files in its cache; the newest one is taken");
    }
    long primaryMtime = primaries.stream().max(Comparator.comparingLong(RepoCacheListing.CachedFile::mtimeEpochSeconds))
        .orElseThrow().mtimeEpochSeconds();
    long age = now - primaryMtime;
    if (markedExpired.contains(repo.id())) {
      return new RepoCacheState(repo, true, age, true, "marked expired in expired_repos.json");
    }
    if (cache.file(repo.cacheDir() + "/attrs/expired").isPresent()) {
      return new RepoCacheState(repo, true, age, true, "marked expired (attrs/expired)");
    }
    if (repo.metadataExpireSeconds() == EnabledRepo.NEVER) {
      return new RepoCacheState(repo, true, age, false, "metadata_expire is never");
    }
    if (checkConfigFileAge && repo.repoFileMtimeEpochSeconds() > primaryMtime) {
      return new RepoCacheState(repo, true, age, true, repo.repoFile() + " is newer than the cached metadata");
    }
    if (age > repo.metadataExpireSeconds()) {
      return new RepoCacheState(repo, true, age, true,
          "cached " + age + " s ago, metadata_expire " + repo.metadataExpireSeconds() + " s");
    }
    return new RepoCacheState(repo, true, age, false,
        "cached " + age + " s ago, within metadata_expire " + repo.metadataExpireSeconds() + " s");
  }

  private static RepoCacheState yum(EnabledRepo repo, boolean checkConfigFileAge, RepoCacheListing cache, long now) {
    if (repo.cacheDir() == null) {
      return new RepoCacheState(repo, false, null, true, "no cache directory can be named (cachedir unusable)");
    }
    Optional<RepoCacheListing.CachedFile> cookie = cache.file(repo.cacheDir() + "/cachecookie");
    boolean repomd = cache.file(repo.cacheDir() + "/repomd.xml").isPresent();
    if (cookie.isEmpty()) {
      return new RepoCacheState(repo, repomd, null, true, "no cachecookie in " + repo.cacheDir());
    }
    long cookieMtime = cookie.get().mtimeEpochSeconds();
    long age = now - cookieMtime;
    if (!repomd) {
      return new RepoCacheState(repo, false, age, true, "no repomd.xml in " + repo.cacheDir());
    }
    if (repo.metadataExpireSeconds() == EnabledRepo.NEVER) {
      return new RepoCacheState(repo, true, age, false, "metadata_expire is never");
    }
    if (checkConfigFileAge && cookieMtime < repo.repoFileMtimeEpochSeconds()) {
      return new RepoCacheState(repo, true, age, true, repo.repoFile() + " or yum.conf is newer than the cachecookie");
    }
    if (cookieMtime + repo.metadataExpireSeconds() > now) {
      return new RepoCacheState(repo, true, age, false,
          "cookie " + age + " s old, within metadata_expire " + repo.metadataExpireSeconds() + " s");
    }
    return new RepoCacheState(repo, true, age, true,
        "cookie " + age + " s old, metadata_expire " + repo.metadataExpireSeconds() + " s");
  }

  /**
   * The ids in expired_repos.json. dnf reads a missing, empty or unparsable file as no repository
   * (dnf/persistor.py {@code _get_json_db} falls back to []); ids we would not trust are dropped.
   */
  static Set<String> expiredRepos(String json, List<String> warnings) {
    Set<String> ids = new LinkedHashSet<>();
    if (json == null || json.isBlank()) {
      return ids;
    }
    JsonNode node;
    try {
      node = JSON.readTree(json);
    } catch (java.io.IOException e) {
      warnings.add("expired_repos.json is not JSON; dnf reads it as no repository marked expired");
      return ids;
    }
    if (node == null || !node.isArray()) {
      warnings.add("expired_repos.json is not a list; no repository is taken as marked expired");
      return ids;
    }
    for (JsonNode element : node) {
      String id = element.isTextual() ? element.asText() : null;
      if (HostPaths.isSafeRepoId(id)) {
        ids.add(id);
      } else {
        warnings.add("expired_repos.json: ignored an entry that is not a repository id: "
            + HostPaths.excerpt(element.toString()));
      }
    }
    return ids;
  }
}
