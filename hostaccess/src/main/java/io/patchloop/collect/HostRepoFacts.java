package io.patchloop.collect;

import java.util.List;

/**
 * What a host sends about its package manager so that the platform can decide, without starting
 * dnf, which repositories are enabled and which caches are expired. All of it is untrusted.
 *
 * @param packageManager "dnf" (dnf 4), "dnf5" or "yum"
 * @param unameMachine {@code uname -m}
 * @param releaseverQueryOutput the output of {@link ReleaseverQuery#RPM_QUERY}
 * @param configFiles the main configuration ({@code /etc/dnf/dnf.conf} or {@code /etc/yum.conf}),
 *     every {@code *.repo} of the reposdirs, and the files of {@code /etc/dnf/vars} and {@code /etc/yum/vars}
 * @param cacheListing the output of {@link RepoCacheListing#LISTING_COMMAND}
 * @param expiredReposJson the content of {@code /var/cache/dnf/expired_repos.json}; null or empty when absent
 * @param nowEpochSeconds the host's {@code date +%s} when it listed the cache
 */
public record HostRepoFacts(String packageManager, String unameMachine, String releaseverQueryOutput,
    List<HostConfigFile> configFiles, String cacheListing, String expiredReposJson, long nowEpochSeconds) {

  public HostRepoFacts {
    configFiles = List.copyOf(configFiles);
  }
}
