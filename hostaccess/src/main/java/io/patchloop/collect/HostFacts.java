package io.patchloop.collect;

import io.patchloop.hostaccess.HostAccessException;
import io.patchloop.inventory.HostDataLimits;
import io.patchloop.inventory.InstalledPackage;
import io.patchloop.inventory.SafeValues;
import io.patchloop.workflows.host.HostErrorKind;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * What the probe read of a host besides its metadata cache: identity, kernel, boot, package
 * manager, installed packages, and the package manager's configuration files.
 *
 * @param packageManager dnf, dnf5 or yum
 * @param arch {@code uname -m}
 * @param hostNow the host's clock when it was read (epoch seconds): cache ages are by the host's clock
 * @param configFiles dnf.conf, yum.conf, *.repo, vars and needs-restarting.d files, as the host printed them
 * @param releaseverQuery the output of {@link ReleaseverQuery#RPM_QUERY}
 */
record HostFacts(OsRelease os, String kernel, String arch, BootReading boot, long hostNow, String packageManager,
    List<InstalledPackage> packages, Set<String> kernels, List<HostConfigFile> configFiles, String releaseverQuery) {

  /** An absolute path without surprises: the name must be usable in messages and never be a path trick. */
  private static final Pattern CONFIG_PATH = Pattern.compile("(/[A-Za-z0-9_+@:.-]{1,255}){1,12}");
  private static final Pattern FILE_SECTION = Pattern.compile("([0-9]{1,12}) (.+)");
  static final String NEEDS_RESTARTING_DIR = "/etc/dnf/plugins/needs-restarting.d/";

  static HostFacts of(CollectorOutput out) {
    String packageManager = out.require("package-manager").strip();
    if (!List.of("dnf", "dnf5", "yum").contains(packageManager)) {
      throw new HostAccessException(HostErrorKind.COMMAND_FAILED, "neither dnf nor yum is installed on the host");
    }
    List<HostConfigFile> files = new ArrayList<>();
    out.each("file", (name, text) -> {
      Matcher m = FILE_SECTION.matcher(name);
      if (m.matches() && CONFIG_PATH.matcher(m.group(2)).matches() && !m.group(2).contains("/../")) {
        files.add(new HostConfigFile(m.group(2), Long.parseLong(m.group(1)), text));
      }
    });
    Set<String> kernels = out.require("kernels").lines().map(String::strip)
        .filter(s -> !s.isEmpty() && !s.startsWith("no package")).collect(Collectors.toCollection(LinkedHashSet::new));
    String boot = out.require("boot");
    BootReading reading = BootReading.parse(boot); // checks the numbers, the clock first
    List<InstalledPackage> packages = RpmQaParser.parse(out.require("rpm"));
    // after the rpm database: a garbled rpm answers both queries garbled, and its line says more
    for (String kernel : kernels) {
      if (!SafeValues.PACKAGE_NAME.matcher(kernel).matches()) {
        throw new HostAccessException(HostErrorKind.OUTPUT_UNPARSEABLE, "the host's kernel packages include a name rpm"
            + " does not allow: " + HostDataLimits.hostText(kernel, 120));
      }
    }
    return new HostFacts(OsRelease.parse(out.require("os-release")), out.require("uname").strip(),
        out.require("arch").strip(), reading, Long.parseLong(boot.strip().split("\n")[0].strip()), packageManager,
        packages, kernels, files, out.sections().getOrDefault("releasever", ""));
  }

  /** The needs-restarting plugin's extra package lists: file name → content. */
  Map<String, String> needsRestartingConf() {
    Map<String, String> conf = new LinkedHashMap<>();
    for (HostConfigFile file : configFiles) {
      if (file.path().startsWith(NEEDS_RESTARTING_DIR) && file.path().endsWith(".conf")) {
        conf.put(file.path().substring(NEEDS_RESTARTING_DIR.length()), file.content());
      }
    }
    return conf;
  }
}
