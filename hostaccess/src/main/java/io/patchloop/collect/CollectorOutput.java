package io.patchloop.collect;

import io.patchloop.hostaccess.HostAccessException;
import io.patchloop.inventory.Advisory;
import io.patchloop.inventory.AdvisoryPackage;
import io.patchloop.inventory.InstalledPackage;
import io.patchloop.workflows.host.ActivityPayloads;
import io.patchloop.workflows.host.HostErrorKind;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The collector script's output, read section by section as it streams in. The small sections are
 * kept as text; each repository's updateinfo goes straight from the stream into the XML parser, and
 * of its advisories only what the compliance engine can use is kept: the package entries of an
 * installed name and arch (the engine matches nothing else), and the advisories left with one. The
 * script prints the rpm database before the updateinfo files, so that is known when they come.
 *
 * @param ended whether the script's end marker came: without it the output is not whole
 */
record CollectorOutput(Map<String, String> sections, List<RepoUpdateInfo> updateInfo, boolean ended) {

  /**
   * One repository's updateinfo.xml, named by its cache directory (repo id and a hash), as read.
   *
   * @param advisories what is kept of its advisories; empty when not read (a disabled repository) or unreadable
   * @param dropped advisories dropped because an id or package name is not safe to use
   * @param unreadable why it could not be read; null when it could
   */
  record RepoUpdateInfo(String cacheDir, List<Advisory> advisories, int dropped, String unreadable) {}

  /** No host prints this much outside its updateinfo files: 100,000 installed packages are about 8 MB. */
  static final int MAX_TEXT_SECTION_BYTES = 16 << 20;

  /**
   * What is kept of the advisories, estimated as JSON, before the scan gives up on the host: the
   * inventory must fit an activity payload; twice that allows for an advisory listed by two
   * repositories (a mirror and an update repository), which counts once in the inventory.
   */
  static final long MAX_KEPT_ADVISORY_BYTES = 2L * ActivityPayloads.MAX_BYTES;

  /** Reads the collector's stdout to its end marker (or the end of the stream), holding only what is kept. */
  static CollectorOutput read(InputStream stdout, String nonce) throws IOException {
    CollectorSections in = new CollectorSections(stdout, nonce);
    Map<String, String> sections = new LinkedHashMap<>();
    List<RepoUpdateInfo> updateInfo = new ArrayList<>();
    Relevance relevance = null;
    long keptBytes = 0;
    for (String name; (name = in.next()) != null; ) {
      if (name.equals("end")) {
        sections.put(name, "");
        return new CollectorOutput(sections, updateInfo, true);
      }
      if (!name.startsWith("updateinfo ")) {
        sections.put(name, in.text(MAX_TEXT_SECTION_BYTES));
        continue;
      }
      String cacheDir = name.substring("updateinfo ".length());
      if (relevance == null) {
        relevance = Relevance.of(sections);
      }
      String repo = CachedRepo.repoOf(cacheDir);
      if (!relevance.enabledRepos.contains(repo)) {
        // metadata left in the cache by a repository that is no longer enabled: not read at all
        updateInfo.add(new RepoUpdateInfo(cacheDir, List.of(), 0, null));
        continue;
      }
      try {
        var parsed = UpdateInfoParser.parse(in.body(), "repository " + repo, relevance::installed);
        updateInfo.add(new RepoUpdateInfo(cacheDir, parsed.advisories(), parsed.dropped(), null));
        for (Advisory a : parsed.advisories()) {
          keptBytes += estimatedJson(a);
        }
        if (keptBytes > MAX_KEPT_ADVISORY_BYTES) {
          throw new HostAccessException(HostErrorKind.INVENTORY_TOO_LARGE, "the advisories that concern the host's"
              + " installed packages come to more than " + MAX_KEPT_ADVISORY_BYTES / 1024 + " KiB (read up to repository "
              + repo + "), more than a scan can hand on (" + ActivityPayloads.MAX_BYTES / 1024 + " KiB)");
        }
      } catch (HostAccessException unreadable) {
        if (unreadable.kind() != HostErrorKind.OUTPUT_UNPARSEABLE) {
          throw unreadable;
        }
        updateInfo.add(new RepoUpdateInfo(cacheDir, List.of(), 0, unreadable.getMessage()));
      }
    }
    return new CollectorOutput(sections, updateInfo, false);
  }

  /** The whole output at once (captured output, tests): as {@link #read}, and an output without its end is refused. */
  static CollectorOutput split(String output, String nonce) {
    CollectorOutput out;
    try {
      out = read(new ByteArrayInputStream(output.getBytes(StandardCharsets.UTF_8)), nonce);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // not from an array
    }
    out.requireEnd();
    return out;
  }

  /** @throws HostAccessException OUTPUT_UNPARSEABLE when the script's end marker did not come */
  void requireEnd() {
    if (!ended) {
      throw new HostAccessException(HostErrorKind.OUTPUT_UNPARSEABLE,
          "the collector's output ended early (no end marker; sections seen: " + sections.keySet()
              + "); the output may have been cut at the size cap or the shell failed");
    }
  }

  String require(String section) {
    String s = sections.get(section);
    if (s == null) {
      throw new HostAccessException(HostErrorKind.OUTPUT_UNPARSEABLE, "the collector's output has no '" + section + "' section");
    }
    return s;
  }

  /** About the size of the advisory in Temporal's JSON: its strings and the field names around them. */
  private static long estimatedJson(Advisory a) {
    long bytes = 160 + a.id().length() + a.title().length() + a.type().length();
    for (String cve : a.cves()) {
      bytes += cve.length() + 3;
    }
    for (AdvisoryPackage p : a.packages()) {
      bytes += 60 + p.name().length() + p.evr().version().length() + p.evr().release().length() + p.arch().length();
    }
    return bytes;
  }

  /** What decides whether an updateinfo entry is of use, from the sections before the updateinfo files. */
  private record Relevance(Map<String, Set<String>> archesByName, Set<String> enabledRepos) {

    static Relevance of(Map<String, String> sections) {
      Map<String, Set<String>> arches = new HashMap<>();
      String rpm = sections.get("rpm");
      if (rpm != null) {
        try {
          for (InstalledPackage p : RpmQaParser.parse(rpm)) {
            arches.computeIfAbsent(p.name(), n -> new HashSet<>(2)).add(p.arch());
          }
        } catch (HostAccessException unreadable) {
          // nothing is installed as far as the advisories go; the inventory reads the rpm section again and fails there
        }
      }
      String repos = sections.get("repos");
      return new Relevance(arches, repos == null ? Set.of() : CachedRepo.enabledRepos(repos));
    }

    boolean installed(AdvisoryPackage entry) {
      Set<String> a = archesByName.get(entry.name());
      return a != null && a.contains(entry.arch());
    }
  }
}
