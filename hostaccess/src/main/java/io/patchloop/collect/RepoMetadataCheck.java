package io.patchloop.collect;

import java.util.ArrayList;
import java.util.List;

/**
 * The whole decision for one host: its enabled repositories, where each one's cache is, whether it
 * is expired by the package manager's rule, and so which repositories need a {@code makecache}.
 *
 * <p>Refresh only those with {@code dnf makecache --repo <id>} (or {@code --disablerepo='*'
 * --enablerepo=<id>}): dnf 4.14's plain {@code makecache} expires every enabled repository before it
 * loads them ({@code Base.update_cache}: {@code repo.metadata} is still None there, so
 * {@code _metadata_expire_in} answers "no cache" and it calls {@code expire()}; seen on the lab:
 * "has expired and will be refreshed" for a cache a minute old), so it contacts every mirror.
 * Commands that load repositories normally ({@code check-update}, {@code updateinfo}) follow the rule
 * this class applies.
 */
public final class RepoMetadataCheck {

  /**
   * @param configuration the enabled repositories as the package manager reads them
   * @param listing the cache as the host listed it, read once
   * @param states one per enabled repository, in the same order
   * @param warnings everything skipped or refused, from reading the configuration and the cache
   */
  public record Result(RepoConfiguration configuration, RepoCacheListing listing, List<RepoCacheState> states, List<String> warnings) {

    public Result {
      states = List.copyOf(states);
      warnings = List.copyOf(warnings);
    }

    /** The ids of the repositories whose metadata the package manager would refresh before use. */
    public List<String> expiredRepoIds() {
      return states.stream().filter(RepoCacheState::expired).map(s -> s.repo().id()).toList();
    }
  }

  private RepoMetadataCheck() {}

  /** @throws IllegalArgumentException when the package manager is none we know */
  public static Result decide(HostRepoFacts facts) {
    PackageManagerKind kind = PackageManagerKind.fromLabel(facts.packageManager())
        .orElseThrow(() -> new IllegalArgumentException("unknown package manager: "
            + HostPaths.excerpt(String.valueOf(facts.packageManager()))));
    RepoConfiguration config = RepoConfigReader.read(kind, facts.unameMachine(), facts.releaseverQueryOutput(),
        facts.configFiles());
    RepoCacheListing listing = RepoCacheListing.parse(facts.cacheListing());
    List<String> warnings = new ArrayList<>(config.warnings());
    warnings.addAll(listing.warnings());
    List<RepoCacheState> states = RepoFreshness.assess(config, listing, facts.expiredReposJson(),
        facts.nowEpochSeconds(), warnings);
    return new Result(config, listing, states, warnings);
  }
}
