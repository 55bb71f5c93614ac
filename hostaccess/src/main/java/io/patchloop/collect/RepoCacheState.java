package io.patchloop.collect;

/**
 * One enabled repository's cached metadata, judged by the package manager's own expiry rule.
 *
 * @param repo the repository
 * @param cacheFound whether its cache directory holds metadata (dnf: a primary file in {@code repodata/};
 *     yum: a {@code cachecookie} and {@code repomd.xml})
 * @param ageSeconds now minus the mtime dnf measures age by (the primary metadata file; yum: the
 *     cachecookie); null when there is no cache
 * @param expired whether the package manager would refresh it before using it
 * @param reason why, in a few words
 */
public record RepoCacheState(EnabledRepo repo, boolean cacheFound, Long ageSeconds, boolean expired, String reason) {}
