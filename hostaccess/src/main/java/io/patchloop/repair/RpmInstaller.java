package io.patchloop.repair;

import io.patchloop.hostaccess.CommandResult;
import io.patchloop.hostaccess.HostAccessException;
import io.patchloop.hostaccess.HostSession;
import io.patchloop.hostaccess.ShellCommand;
import io.patchloop.inventory.SafeValues;
import io.patchloop.workflows.host.HostErrorKind;
import io.patchloop.workflows.repair.RepairPlan;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
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

  /** One package-manager run: a large kernel update on a slow mirror. */
  static final Duration RUN_TIMEOUT = Duration.ofMinutes(30);
  /**
   * All the runs of one repair together (the combined one, then one per patch): within the install
   * step's start-to-close timeout of 45 minutes, leaving room for reading the host back, so that
   * Temporal never starts a second attempt while this one still installs.
   */
  static final Duration BUDGET = Duration.ofMinutes(33);
  /** Exit status of the install script when another repair holds the host's lock (EX_TEMPFAIL). */
  static final int LOCK_HELD = 75;

  /**
   * Picks the package manager the way the collector does, keeps its messages in English, and
   * holds the host's repair lock (flock on a file; released when the process ends, however it
   * ends), so that two repairs, or two attempts of one, never install on a host at once.
   */
  private static final String UPGRADE = """
      export LC_ALL=C
      if command -v dnf >/dev/null 2>&1; then PM=dnf
      elif command -v yum >/dev/null 2>&1; then PM=yum
      else echo 'neither dnf nor yum is installed' >&2; exit 127; fi
      LOCK=/run/lock; [ -d "$LOCK" ] || LOCK=/tmp
      if command -v flock >/dev/null 2>&1; then
        exec 9>"$LOCK/patchloop-repair.lock"
        flock -n 9 || { echo 'another Patchloop repair is installing on this host (it holds '"$LOCK"'/patchloop-repair.lock)' >&2; exit 75; }
      fi
      "$PM" -y upgrade""";

  private final Clock clock;

  public RpmInstaller(Clock clock) {
    this.clock = clock;
  }

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
    Instant deadline = clock.instant().plus(BUDGET);
    List<String> combined = new RepairPlan(safe, plan.blockedPackageGlobs()).combinedNevras();
    if (run(session, combined, plan.blockedPackageGlobs(), RUN_TIMEOUT).exitStatus() == 0) {
      return failures;
    }
    for (RepairPlan.Patch patch : safe) {
      Duration left = Duration.between(clock.instant(), deadline);
      if (left.compareTo(MIN_RUN) < 0) {
        failures.put(patch.advisoryId(), "not tried: the repair's time budget (" + BUDGET.toMinutes()
            + " min for all package-manager runs) ran out; a later repair will try it");
        continue;
      }
      CommandResult one = run(session, patch.nevras(), plan.blockedPackageGlobs(), min(left, RUN_TIMEOUT));
      if (one.exitStatus() != 0) {
        failures.put(patch.advisoryId(), "exit status " + one.exitStatus() + ": " + one.errorExcerpt());
      }
    }
    return failures;
  }

  /** Less than this left of the budget: a patch is not started (it would only time out). */
  static final Duration MIN_RUN = Duration.ofMinutes(1);

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  private static CommandResult run(HostSession session, List<String> nevras, List<String> excludes, Duration timeout) {
    ShellCommand.Builder command = ShellCommand.of(UPGRADE);
    for (String glob : excludes) {
      command.option("--exclude=", glob, SafeValues.PACKAGE_GLOB, "excluded package");
    }
    for (String nevra : nevras) {
      command.value(nevra, SafeValues.NEVRA, "package");
    }
    CommandResult result = session.run(command.build(), timeout);
    if (result.exitStatus() == LOCK_HELD) {
      throw new HostAccessException(HostErrorKind.HOST_BUSY, result.errorExcerpt());
    }
    if (result.exitStatus() == 127) {
      throw new HostAccessException(HostErrorKind.COMMAND_FAILED, "cannot install: " + result.errorExcerpt());
    }
    return result;
  }
}
