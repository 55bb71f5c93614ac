package io.patchloop.collect;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One repository's cached metadata as the collector found it: the cache directory its
 * {@code repomd.xml} is in, how old that file is by the host's clock, and whether it lists an
 * updateinfo file (a repository without advisories lists none, and that is no fault).
 */
record CachedRepo(String cacheDir, long ageSeconds, boolean listsUpdateInfo) {

  private static final Logger log = LoggerFactory.getLogger(CachedRepo.class);
  /** dnf 4 and dnf 5 name a repository's cache directory {@code <repo id>-<16 hex>}; yum by the repo id alone. */
  private static final Pattern CACHE_HASH = Pattern.compile("-[0-9a-f]{16}$");
  private static final Pattern CACHE_DIR = Pattern.compile("[A-Za-z0-9._:+@-]{1,255}");
  private static final Pattern LINE = Pattern.compile("(\\S+) (-?[0-9]{1,12}) ([0-9]{1,6})");

  /** The repository id a cache directory belongs to. */
  static String repoOf(String cacheDir) {
    return CACHE_HASH.matcher(cacheDir).replaceFirst("");
  }

  /** The enabled repositories of the collector's repos section: ids as dnf prints them, yum's "base/7/x86_64" and "!updates" trimmed. */
  static Set<String> enabledRepos(String section) {
    return section.lines().map(String::strip).filter(s -> !s.isEmpty())
        .map(s -> s.replaceFirst("/.*$", "").replaceFirst("^!", "")).collect(Collectors.toSet());
  }

  String repo() {
    return repoOf(cacheDir);
  }

  /** The collector's metadata section: one {@code <cache dir> <age s> <updateinfo entries>} line per repomd.xml. */
  static List<CachedRepo> parse(String section) {
    List<CachedRepo> repos = new ArrayList<>();
    for (String line : section.split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      var m = LINE.matcher(line.strip());
      if (!m.matches() || !CACHE_DIR.matcher(m.group(1)).matches()) {
        // a cache directory whose name we would not trust stands for no repository we can match
        log.warn("ignored a metadata line of unexpected shape: {}", line.length() > 200 ? line.substring(0, 200) : line);
        continue;
      }
      // a repomd.xml dated in the future (a clock set back) is as fresh as can be
      repos.add(new CachedRepo(m.group(1), Math.max(0, Long.parseLong(m.group(2))), Integer.parseInt(m.group(3)) > 0));
    }
    return repos;
  }
}
