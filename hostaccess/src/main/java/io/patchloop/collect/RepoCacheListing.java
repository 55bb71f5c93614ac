package io.patchloop.collect;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The files of the package manager's metadata cache as a host listed them (name, mtime, size; no
 * content): for dnf the {@code repodata/} of each repository's cache directory (dnf 5 also its
 * {@code attrs/}, where {@code expired} marks it expired), for yum its
 * {@code cachecookie}, {@code repomd.xml} and updateinfo file, which yum 3 keeps beside them, not
 * in a {@code repodata/} (yum 3.4.3 yum/yumRepo.py {@code _retrieveMD}: {@code local =
 * self.cachedir + '/' + fname}). Paths are the host's and untrusted: a line whose path is not a
 * plain absolute path is dropped and reported.
 */
public final class RepoCacheListing {

  /**
   * The command for the collector script that lists the default cache roots of dnf 4, dnf 5 and
   * yum, one {@code <mtime s>|<size>|<path>} line per file (path last: it is the only free-form part).
   * A {@code cachedir} set in the main configuration elsewhere has to be listed the same way.
   */
  public static final String LISTING_COMMAND = "find /var/cache/dnf /var/cache/libdnf5 /var/cache/yum -maxdepth 6 -type f"
      + " \\( -path '*/repodata/*' -o -path '*/attrs/*' -o -name cachecookie -o -name repomd.xml"
      + " -o -name '*updateinfo.xml*' \\)"
      + " -exec stat -c '%Y|%s|%n' {} + 2>/dev/null";

  /** One cached file. */
  public record CachedFile(String path, long mtimeEpochSeconds, long size) {
    public String name() {
      return path.substring(path.lastIndexOf('/') + 1);
    }
  }

  private static final Pattern LINE = Pattern.compile("(-?[0-9]{1,12})\\|([0-9]{1,15})\\|(/.*)");

  private final Map<String, CachedFile> files;
  private final List<String> warnings;

  public RepoCacheListing(List<CachedFile> files, List<String> warnings) {
    Map<String, CachedFile> byPath = new LinkedHashMap<>();
    for (CachedFile f : files) {
      byPath.put(f.path(), f);
    }
    this.files = Collections.unmodifiableMap(byPath);
    this.warnings = List.copyOf(warnings);
  }

  /** Reads the output of {@link #LISTING_COMMAND}. */
  public static RepoCacheListing parse(String output) {
    List<CachedFile> files = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    for (String line : output == null ? List.<String>of() : output.lines().toList()) {
      if (line.isBlank()) {
        continue;
      }
      Matcher m = LINE.matcher(line);
      if (!m.matches() || !HostPaths.isSafeAbsolutePath(m.group(3))) {
        warnings.add("cache listing: ignored a line of unexpected shape: " + HostPaths.excerpt(line));
        continue;
      }
      files.add(new CachedFile(m.group(3), Long.parseLong(m.group(1)), Long.parseLong(m.group(2))));
    }
    return new RepoCacheListing(files, warnings);
  }

  public List<String> warnings() {
    return warnings;
  }

  Optional<CachedFile> file(String path) {
    return Optional.ofNullable(files.get(path));
  }

  /** The files directly in {@code dir} (not below it). */
  List<CachedFile> filesIn(String dir) {
    String prefix = dir.endsWith("/") ? dir : dir + "/";
    return files.values().stream()
        .filter(f -> f.path().startsWith(prefix) && f.path().indexOf('/', prefix.length()) < 0)
        .toList();
  }

  /** The directories holding a {@code repodata/} directory, below {@code root}: the repository caches dnf made. */
  List<String> repodataParents(String root) {
    String prefix = root.endsWith("/") ? root : root + "/";
    return files.values().stream().map(CachedFile::path)
        .filter(p -> p.startsWith(prefix) && p.contains("/repodata/"))
        .map(p -> p.substring(0, p.indexOf("/repodata/")))
        .distinct().toList();
  }
}
