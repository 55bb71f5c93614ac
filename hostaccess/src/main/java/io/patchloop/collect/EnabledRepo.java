package io.patchloop.collect;

import java.util.List;

/**
 * One repository the package manager has enabled, as it would configure it: values with the
 * variables substituted.
 *
 * @param id the repository id (substituted, checked against {@link HostPaths#REPO_ID})
 * @param repoFile the file that defines it (a .repo file, or the main configuration)
 * @param repoFileMtimeEpochSeconds that file's mtime; for yum the later of it and the main configuration's
 * @param baseurls baseurl values in order (may be empty when a mirrorlist or metalink is set)
 * @param mirrorlist the mirrorlist URL, or null
 * @param metalink the metalink URL, or null
 * @param metadataExpireSeconds seconds after which the cached metadata is expired; {@link #NEVER} for never
 * @param cacheDir where the package manager keeps this repository's metadata
 */
public record EnabledRepo(String id, String repoFile, long repoFileMtimeEpochSeconds, List<String> baseurls,
    String mirrorlist, String metalink, long metadataExpireSeconds, String cacheDir) {

  /** metadata_expire = -1 or never. */
  public static final long NEVER = -1;

  public EnabledRepo {
    baseurls = List.copyOf(baseurls);
  }
}
