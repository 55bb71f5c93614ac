package io.patchloop.collect;

import java.util.List;
import java.util.Map;

/**
 * What a host's package manager makes of its configuration files: the enabled repositories, the
 * variables it substituted, where it keeps its cache, and what we refused or could not read.
 *
 * @param packageManager whose rules were applied
 * @param variables releasever, arch, basearch and the vars files' variables, as substituted
 * @param cacheRoot the main configuration's cachedir (for yum with its variables substituted)
 * @param checkConfigFileAge the main option check_config_file_age (default true)
 * @param repos the enabled repositories, in the order the package manager reads them
 * @param warnings what was skipped and why (untrusted values, files dnf would not read, ...)
 */
public record RepoConfiguration(PackageManagerKind packageManager, Map<String, String> variables, String cacheRoot,
    boolean checkConfigFileAge, List<EnabledRepo> repos, List<String> warnings) {

  public RepoConfiguration {
    variables = Map.copyOf(variables);
    repos = List.copyOf(repos);
    warnings = List.copyOf(warnings);
  }
}
