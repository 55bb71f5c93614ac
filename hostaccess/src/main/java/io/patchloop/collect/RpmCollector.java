package io.patchloop.collect;

import io.patchloop.advisories.AdvisoryCatalog;
import io.patchloop.advisories.UpdateInfoFile;
import io.patchloop.hostaccess.HostAccessException;
import io.patchloop.hostaccess.HostSession;
import io.patchloop.hostaccess.ShellCommand;
import io.patchloop.hostaccess.StreamedResult;
import io.patchloop.inventory.Advisory;
import io.patchloop.inventory.HostDataLimits;
import io.patchloop.inventory.HostInventory;
import io.patchloop.workflows.host.ActivityPayloads;
import io.patchloop.workflows.host.HostErrorKind;
import io.patchloop.workflows.scan.MetadataRefresh;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Collects an rpm host's inventory (dnf or yum): OS identity, running kernel, boot time, installed
 * packages, the kernel packages, whether a reboot is needed, and the advisories of the enabled
 * repositories that concern installed packages.
 *
 * <p>Fast when nothing changed: the host only prints files and its rpm database
 * ({@link CollectorScript#probe}); which repositories are enabled, where their cache is and whether
 * it has expired is decided here from the configuration files, by dnf's rule, and the package
 * manager runs only to refresh what expired ({@link MetadataRefresh}). The advisories come from the
 * {@link AdvisoryCatalog} by the checksum in each repository's {@code repomd.xml}; a host sends an
 * updateinfo file only when no host sent that file before. The agent has no catalog: it reads each
 * file itself, filtered to its host's packages, except those the platform tells it the catalog
 * holds, which the central workers add. Whether a reboot is needed is computed
 * from the rpm install times and the boot time as {@code needs-restarting -r} would
 * ({@link RebootHint}).
 *
 * <p>It fails closed: when an enabled repository gave no usable advisory metadata (none cached,
 * listed but not there, unreadable, not matching its checksum), the host's advisories are unknown,
 * and a report made from the rest could say COMPLIANT falsely, so the scan fails
 * METADATA_UNAVAILABLE instead and the host keeps its previous report. Metadata that is merely old
 * (a repository that could not be reached) is used, and its age reported.
 */
@Component
public class RpmCollector {

  private static final Logger log = LoggerFactory.getLogger(RpmCollector.class);
  private static final Duration TIMEOUT = Duration.ofMinutes(5);

  /** What is kept of the advisories before the scan gives up on the host: the bound the central check applies too. */
  static final long MAX_KEPT_ADVISORY_BYTES = HostDataLimits.MAX_ADVISORY_BYTES;

  private final SecureRandom random = new SecureRandom();
  private final CollectorTraffic traffic;
  /** Null on the agent: no catalog, each file read filtered to the host's packages. */
  private final AdvisoryCatalog catalog;

  /** The central workers' collector: advisories by checksum from the fleet's catalog. */
  @Autowired
  public RpmCollector(CollectorTraffic traffic, AdvisoryCatalog catalog) {
    this.traffic = traffic;
    this.catalog = catalog;
  }

  private RpmCollector(CollectorTraffic traffic) {
    this.traffic = traffic;
    this.catalog = null;
  }

  /**
   * The agent's collector: it has no database to share parsed files with, and holding whole files
   * in its host's memory would cost more than reading its own host's part of each file when it is
   * needed; it reads each updateinfo file streamed, keeping only the entries of installed packages.
   */
  public static RpmCollector withoutCatalog(CollectorTraffic traffic) {
    return new RpmCollector(traffic);
  }

  /**
   * @param refresh when to let the package manager refresh the repository metadata first; null: {@link
   *     MetadataRefresh#AUTO}
   */
  public HostInventory collect(HostSession session, MetadataRefresh refresh) {
    return collect(session, refresh, Set.of());
  }

  /**
   * The agent's collection when the platform said which updateinfo files its catalog holds: a
   * repository whose file has one of those checksums is not read here; its checksum goes into the
   * inventory ({@link HostInventory#catalogChecksums}) and the central workers add its advisories
   * from the catalog. Unknown files are read as {@link #collect(HostSession, MetadataRefresh)} reads
   * them. Only the agent's collector (without a catalog of its own) takes the hint; the workers'
   * collector has the catalog itself.
   *
   * @param knownChecksums what the catalog holds; empty: read every file
   */
  public HostInventory collect(HostSession session, MetadataRefresh refresh, Set<String> knownChecksums) {
    Set<String> leftToCatalog = catalog == null && knownChecksums != null ? knownChecksums : Set.of();
    String nonce = nonce();
    long[] received = new long[1];
    try {
      CollectorOutput probe = framed(session, CollectorScript.probe(nonce), nonce, received);
      HostFacts facts = HostFacts.of(probe);
      Repositories repos = Repositories.of(facts, probe);
      List<String> stale = switch (MetadataRefresh.orDefault(refresh)) {
        case AUTO -> repos.expiredIds();
        case ALWAYS -> repos.enabledIds();
        case NEVER -> List.of();
      };
      String makecache = "";
      if (!stale.isEmpty()) {
        log.debug("refreshing the metadata of {} ({})", stale, refresh);
        CollectorOutput after = framed(session,
            CollectorScript.refresh(nonce, facts.packageManager(), stale), nonce, received);
        makecache = after.sections().getOrDefault("makecache", "");
        if (!makecache.contains("exit=0")) {
          // a repository that cannot be reached leaves the last cached metadata: still worth a report, with its age
          log.warn("{} makecache did not succeed; using cached metadata: {}", facts.packageManager(), makecache.strip());
        }
        repos = Repositories.of(facts, after);
      }
      return inventory(session, facts, repos, makecache, received, leftToCatalog);
    } finally {
      traffic.recordCollection(received[0]);
    }
  }

  private HostInventory inventory(HostSession session, HostFacts facts, Repositories repos, String makecache,
      long[] received, Set<String> leftToCatalog) {
    List<String> unusable = new ArrayList<>(repos.unusable());
    Map<String, Set<String>> installed = AdvisorySelection.installedArches(facts.packages());
    Map<String, Advisory> advisories = new LinkedHashMap<>();
    Set<String> catalogChecksums = new LinkedHashSet<>();
    int dropped = 0;
    long keptBytes = 0;
    for (Repositories.UpdateInfoSource source : repos.updateInfo()) {
      if (leftToCatalog.contains(source.checksum())) {
        catalogChecksums.add(source.checksum());
        continue;
      }
      UpdateInfoFile file = known(source);
      if (file == null) {
        // with a catalog the whole file is kept for every host; without one, only what concerns this host
        var fetched = UpdateInfoFetch.fetch(session, source.path(), source.checksum(), "repository " + source.repoId(),
            catalog != null ? entry -> true : entry -> AdvisorySelection.installed(installed, entry));
        received[0] += fetched.bytes();
        if (fetched.unusable() != null) {
          unusable.add(fetched.unusable());
          continue;
        }
        file = fetched.file();
        remember(source, facts, file);
      }
      dropped += file.dropped();
      for (Advisory a : file.advisories()) {
        Advisory relevant = AdvisorySelection.relevantPart(a, installed);
        if (relevant != null) {
          advisories.merge(relevant.id(), relevant, AdvisorySelection::union);
          keptBytes += HostDataLimits.estimatedJson(relevant);
        }
      }
      if (keptBytes > MAX_KEPT_ADVISORY_BYTES) {
        throw new HostAccessException(HostErrorKind.INVENTORY_TOO_LARGE, "the advisories that concern the host's"
            + " installed packages come to more than " + MAX_KEPT_ADVISORY_BYTES / 1024 + " KiB (read up to repository "
            + source.repoId() + "), more than a scan can hand on (" + ActivityPayloads.MAX_BYTES / 1024 + " KiB)");
      }
    }
    if (!unusable.isEmpty()) {
      throw new HostAccessException(HostErrorKind.METADATA_UNAVAILABLE, facts.packageManager()
          + " gave no usable advisory metadata, so no report was made (it could say COMPLIANT falsely): "
          + String.join("; ", unusable) + "." + (makecache.isBlank() ? "" : " " + facts.packageManager()
          + " makecache said: " + excerpt(makecache)));
    }
    if (dropped > 0) {
      log.warn("dropped {} advisories whose id or package names are not safe to use", dropped);
    }
    Boolean needsReboot = RebootHint.needsReboot(facts.packageManager(), facts.packages(), facts.boot().bootTime(),
        facts.needsRestartingConf());
    return new HostInventory(facts.os().id(), facts.os().versionId(), facts.os().product(), facts.kernel(),
        facts.boot().bootTime(), facts.packages(), facts.kernels(), List.copyOf(advisories.values()), needsReboot,
        repos.metadataAgeSeconds(), catalogChecksums.isEmpty() ? null : List.copyOf(catalogChecksums));
  }

  /**
   * The parsed file from the catalog; null when no host sent it before, or when the catalog cannot
   * be read now: then the host sends it, a slower scan rather than none.
   */
  private UpdateInfoFile known(Repositories.UpdateInfoSource source) {
    if (catalog == null) {
      return null;
    }
    try {
      return catalog.find(source.checksum()).orElse(null);
    } catch (RuntimeException unavailable) {
      log.warn("the advisory catalog cannot be read ({}); {} is read from the host", unavailable.getMessage(),
          source.repoId());
      return null;
    }
  }

  private void remember(Repositories.UpdateInfoSource source, HostFacts facts, UpdateInfoFile file) {
    if (catalog == null) {
      return;
    }
    try {
      catalog.save(source.checksum(), "repository " + source.repoId() + " of a " + facts.os().product() + " host", file);
    } catch (RuntimeException unavailable) {
      log.warn("the advisories of {} could not be stored ({}); the next host sends them again", source.checksum(),
          unavailable.getMessage());
    }
  }

  /** A framed command's output, whole, or a typed failure. */
  private static CollectorOutput framed(HostSession session, ShellCommand command, String nonce, long[] received) {
    // streamed: counted as it comes, and a host that prints without end is cut at the output cap
    StreamedResult<CollectorOutput> result = session.stream(command, TIMEOUT, stdout -> {
      CountingInputStream counted = new CountingInputStream(stdout);
      try {
        return CollectorOutput.read(counted, nonce);
      } finally {
        received[0] += counted.count();
      }
    });
    if (result.truncated()) {
      throw new HostAccessException(HostErrorKind.OUTPUT_UNPARSEABLE, "the host's answer is larger than the output cap"
          + " (on the workers patchloop.ssh.max-output-bytes, default 64 MiB; on an agent 64 MiB)");
    }
    if (result.exitStatus() != 0 && !result.value().ended()) {
      throw new HostAccessException(HostErrorKind.COMMAND_FAILED,
          "the inventory command failed with exit status " + result.exitStatus() + ": " + result.errorExcerpt());
    }
    result.value().requireEnd();
    return result.value();
  }

  private String nonce() {
    byte[] n = new byte[8];
    random.nextBytes(n);
    return HexFormat.of().formatHex(n);
  }

  /** The package manager's own words, short: its last lines carry the reason. */
  private static String excerpt(String makecache) {
    String text = makecache.strip();
    return text.isEmpty() ? "(nothing)" : text.length() > 600 ? "..." + text.substring(text.length() - 600) : text;
  }
}
