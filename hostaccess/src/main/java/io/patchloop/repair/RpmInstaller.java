package io.patchloop.repair;

import io.patchloop.hostaccess.CommandResult;
import io.patchloop.hostaccess.HostAccessException;
import io.patchloop.hostaccess.HostSession;
import io.patchloop.hostaccess.ShellCommand;
import io.patchloop.inventory.SafeValues;
import io.patchloop.workflows.host.HostErrorKind;
import io.patchloop.workflows.repair.RepairPlan;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * Installs a repair plan on an rpm host with dnf (or yum): all patches in one transaction, the
 * fast path; when that fails, each patch alone, so every failure is pinned on the patch that
 * caused it with the package manager's own words and the others still go in (rpm keeps what a
 * failed transaction installed, and a patch already in is a no-op the second time).
 *
 * <p>The command lines hold only constants and values that passed {@link ShellCommand#NEVRA} or
 * {@link SafeValues#PACKAGE_GLOB}, each single-quoted.
 */
@Component
public class RpmInstaller {

  static final Duration TIMEOUT = Duration.ofMinutes(30);

  /** Picks the package manager the way the collector does, and keeps its messages in English. */
  private static final String UPGRADE = """
      export LC_ALL=C
      if command -v dnf >/dev/null 2>&1; then PM=dnf
      elif command -v yum >/dev/null 2>&1; then PM=yum
      else echo 'neither dnf nor yum is installed' >&2; exit 127; fi
      "$PM" -y upgrade""";

  /**
   * @return advisory id to the error of each patch that did not install; empty when all did
   * @throws HostAccessException when the host cannot be worked on at all (unreachable, timeout)
   */
  public Map<String, String> install(HostSession session, RepairPlan plan) {
    Map<String, String> failures = new LinkedHashMap<>();
    List<RepairPlan.Patch> safe = new ArrayList<>();
    for (RepairPlan.Patch patch : plan.patches()) {
      String unsafe = patch.nevras().stream().filter(n -> !SafeValues.NEVRA.matcher(n).matches()).findFirst()
          .orElse(null);
      if (unsafe != null) {
        failures.put(patch.advisoryId(), "package '" + unsafe + "' is not a plain name-version-release.arch;"
            + " it was not passed to the package manager");
      } else if (!patch.packages().isEmpty()) {
        safe.add(patch);
      }
    }
    if (safe.isEmpty()) {
      return failures;
    }
    List<String> combined = new RepairPlan(safe, plan.blockedPackageGlobs()).combinedNevras();
    if (run(session, combined, plan.blockedPackageGlobs()).exitStatus() == 0) {
      return failures;
    }
    for (RepairPlan.Patch patch : safe) {
      CommandResult one = run(session, patch.nevras(), plan.blockedPackageGlobs());
      if (one.exitStatus() != 0) {
        failures.put(patch.advisoryId(), "exit status " + one.exitStatus() + ": " + one.errorExcerpt());
      }
    }
    return failures;
  }

  private static CommandResult run(HostSession session, List<String> nevras, List<String> excludes) {
    ShellCommand.Builder command = ShellCommand.of(UPGRADE);
    for (String glob : excludes) {
      command.option("--exclude=", glob, SafeValues.PACKAGE_GLOB, "excluded package");
    }
    for (String nevra : nevras) {
      command.value(nevra, SafeValues.NEVRA, "package");
    }
    CommandResult result = session.run(command.build(), TIMEOUT);
    if (result.exitStatus() == 127) {
      throw new HostAccessException(HostErrorKind.COMMAND_FAILED, "cannot install: " + result.errorExcerpt());
    }
    return result;
  }
}
