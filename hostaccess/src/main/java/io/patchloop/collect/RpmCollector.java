package io.patchloop.collect;

import io.patchloop.hostaccess.HostAccessException;
import io.patchloop.hostaccess.HostSession;
import io.patchloop.hostaccess.StreamedResult;
import io.patchloop.inventory.Advisory;
import io.patchloop.inventory.AdvisoryPackage;
import io.patchloop.inventory.HostInventory;
import io.patchloop.inventory.InstalledPackage;
import io.patchloop.workflows.host.HostErrorKind;
import io.patchloop.workflows.scan.MetadataRefresh;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Collects an rpm host's inventory (dnf or yum) in one command: OS identity, running kernel, boot
 * time, installed packages, the kernel packages, whether a reboot is needed, and the advisories
 * of the enabled repositories that concern installed packages.
 *
 * <p>It fails closed: when an enabled repository gave no usable advisory metadata (none cached,
 * listed but not there, unreadable), the host's advisories are unknown, and a report made from
 * the rest could say COMPLIANT falsely, so the scan fails METADATA_UNAVAILABLE instead and the
 * host keeps its previous report. Metadata that is merely old is used, and its age reported.
 */
@Component
public class RpmCollector {

  private static final Logger log = LoggerFactory.getLogger(RpmCollector.class);
  private static final Duration TIMEOUT = Duration.ofMinutes(5);
  private final SecureRandom random = new SecureRandom();

  private final CollectorTraffic traffic;

  public RpmCollector(CollectorTraffic traffic) {
    this.traffic = traffic;
  }

  /**
   * @param refresh when to let the package manager refresh the repository metadata first; null: {@link
   *     MetadataRefresh#AUTO}
   */
  public HostInventory collect(HostSession session, MetadataRefresh refresh) {
    byte[] n = new byte[8];
    random.nextBytes(n);
    String nonce = HexFormat.of().formatHex(n);
    // streamed: the output (tens of MB with large repositories) is parsed as it comes, never held
    long[] received = new long[1];
    StreamedResult<CollectorOutput> result = session.stream(CollectorScript.forNonce(nonce), TIMEOUT,
        stdout -> {
          CountingInputStream counted = new CountingInputStream(stdout);
          try {
            return CollectorOutput.read(counted, nonce);
          } finally {
            received[0] = counted.count();
          }
        });
    traffic.recordCollection(received[0]);
    if (result.truncated()) {
      throw new HostAccessException(HostErrorKind.OUTPUT_UNPARSEABLE, "the host's package metadata is larger than the"
          + " output cap (on the workers patchloop.ssh.max-output-bytes, default 64 MiB; on an agent 64 MiB)");
    }
    if (result.exitStatus() != 0 && !result.value().ended()) {
      throw new HostAccessException(HostErrorKind.COMMAND_FAILED,
          "the inventory command failed with exit status " + result.exitStatus() + ": " + result.errorExcerpt());
    }
    result.value().requireEnd();
    return parse(result.value());
  }

  static HostInventory parse(CollectorOutput out) {
    OsRelease os = OsRelease.parse(out.require("os-release"));
    String kernel = out.require("uname").strip();
    String packageManager = out.require("package-manager").strip();
    if (packageManager.equals("none")) {
      throw new HostAccessException(HostErrorKind.COMMAND_FAILED, "neither dnf nor yum is installed on the host");
    }
    String makecache = out.sections().getOrDefault("makecache", "");
    if (!makecache.contains("exit=0")) {
      // a repository that cannot be reached leaves the last cached metadata: still worth a report, with its age
      log.warn("{} makecache did not succeed; using cached metadata: {}", packageManager, makecache.strip());
    }
    List<InstalledPackage> packages = RpmQaParser.parse(out.require("rpm"));
    Set<String> kernels = out.require("kernels").lines().map(String::strip)
        .filter(s -> !s.isEmpty() && !s.startsWith("no package")).collect(Collectors.toCollection(LinkedHashSet::new));
    Set<String> enabledRepos = CachedRepo.enabledRepos(out.require("repos"));

    Map<String, List<CachedRepo>> cached = CachedRepo.parse(out.require("metadata")).stream()
        .collect(Collectors.groupingBy(CachedRepo::repo));
    List<String> unusable = new ArrayList<>();
    if (enabledRepos.isEmpty()) {
      unusable.add("no repository is enabled");
    }
    Set<String> withUpdateInfo = out.updateInfo().stream().map(f -> CachedRepo.repoOf(f.cacheDir()))
        .collect(Collectors.toSet());
    long metadataAge = 0;
    for (String repo : new TreeSet<>(enabledRepos)) {
      List<CachedRepo> caches = cached.get(repo);
      if (caches == null) {
        unusable.add(repo + ": no cached metadata");
      } else if (caches.stream().anyMatch(CachedRepo::listsUpdateInfo) && !withUpdateInfo.contains(repo)) {
        unusable.add(repo + ": its repomd.xml lists updateinfo, but the file is not in the cache");
      } else {
        // of several cache directories of one repository (its URL changed) the freshest is the one in use
        metadataAge = Math.max(metadataAge, caches.stream().mapToLong(CachedRepo::ageSeconds).min().orElseThrow());
      }
    }

    Map<String, Advisory> advisories = new LinkedHashMap<>();
    int dropped = 0;
    for (var file : out.updateInfo()) {
      String repo = CachedRepo.repoOf(file.cacheDir());
      if (!enabledRepos.contains(repo)) {
        continue; // metadata left in the cache by a repository that is no longer enabled
      }
      if (file.unreadable() != null) {
        unusable.add(repo + ": its updateinfo cannot be read (" + file.unreadable() + ")");
        continue;
      }
      dropped += file.dropped();
      // only advisories with an entry of an installed package were kept while reading
      for (Advisory a : file.advisories()) {
        advisories.merge(a.id(), a, RpmCollector::union);
      }
    }
    if (!unusable.isEmpty()) {
      throw new HostAccessException(HostErrorKind.METADATA_UNAVAILABLE, packageManager
          + " gave no usable advisory metadata, so no report was made (it could say COMPLIANT falsely): "
          + String.join("; ", unusable) + ". " + packageManager + " makecache said: " + excerpt(makecache));
    }
    if (dropped > 0) {
      log.warn("dropped {} advisories whose id or package names are not safe to use", dropped);
    }
    return new HostInventory(os.id(), os.versionId(), os.product(), kernel, bootTime(out.require("boot")), packages,
        kernels, List.copyOf(advisories.values()), needsRestarting(out.require("needs-restarting")), metadataAge);
  }

  /** The package manager's own words, short: its last lines carry the reason. */
  private static String excerpt(String makecache) {
    String text = makecache.strip();
    return text.isEmpty() ? "(nothing)" : text.length() > 600 ? "..." + text.substring(text.length() - 600) : text;
  }

  /** The same advisory from two repositories (a mirror and an update repo): one advisory with both package lists. */
  private static Advisory union(Advisory a, Advisory b) {
    var pkgs = new LinkedHashSet<AdvisoryPackage>(a.packages());
    pkgs.addAll(b.packages());
    var cves = new LinkedHashSet<String>(a.cves());
    cves.addAll(b.cves());
    return new Advisory(a.id(), a.title(), a.type(), a.category(), a.severity(), a.issued() != null ? a.issued() : b.issued(),
        new ArrayList<>(pkgs), new ArrayList<>(cves), a.rebootSuggested() || b.rebootSuggested());
  }

  /** As dnf needs-restarting computes it: the later of PID 1's start and now minus uptime. */
  public static Instant bootTime(String section) {
    return BootReading.parse(section).bootTime();
  }

  /** {@code needs-restarting -r} exits 1 when a reboot is needed, 0 when not; anything else: unknown. */
  static Boolean needsRestarting(String section) {
    String s = section.strip();
    if (s.equals("exit=1")) {
      return true;
    }
    if (s.equals("exit=0")) {
      return false;
    }
    return null;
  }
}
