package io.patchloop.hoststeps;

import io.patchloop.collect.RpmCollector;
import io.patchloop.compliance.EngineInventory;
import io.patchloop.hostaccess.HostAccessException;
import io.patchloop.hostaccess.CommandResult;
import io.patchloop.hostaccess.HostSession;
import io.patchloop.hostaccess.ShellCommand;
import io.patchloop.inventory.HostInventory;
import io.patchloop.repair.HostBoot;
import io.patchloop.repair.RpmInstaller;
import io.patchloop.workflows.hooks.HookResult;
import io.patchloop.workflows.hooks.HookRun;
import io.patchloop.workflows.hooks.HostHook;
import io.patchloop.workflows.host.ActivityPayloads;
import io.patchloop.workflows.host.HostErrorKind;
import io.patchloop.workflows.repair.BootMark;
import io.patchloop.workflows.repair.InstallResult;
import io.patchloop.workflows.repair.RepairPlan;
import io.patchloop.workflows.scan.MetadataRefresh;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * What the host-side steps do on a host, written once over any {@link HostSession}: an SSH session
 * from the central workers ({@link SshHostActivitiesImpl}) or the agent's local one
 * ({@code HostAgentActivitiesImpl}). Failures are {@link HostAccessException}s.
 */
@Component
public class HostWork {

  private final RpmCollector collector;
  private final RpmInstaller installer;
  private final Clock clock;
  private final Duration bootPollInterval;

  public HostWork(RpmCollector collector, RpmInstaller installer, Clock clock,
      @Value("${patchloop.repair.reboot-poll-interval:3s}") Duration bootPollInterval) {
    this.collector = collector;
    this.installer = installer;
    this.clock = clock;
    this.bootPollInterval = bootPollInterval;
  }

  /**
   * The host's inventory as a host step hands it on: cut to what the compliance engine reads
   * ({@link EngineInventory}), and no larger than an activity payload may be.
   */
  public HostInventory collect(HostSession session, MetadataRefresh refresh) {
    return collect(session, refresh, Set.of());
  }

  /**
   * The agent's collection when the platform said which updateinfo files its catalog holds (see
   * {@link RpmCollector#collect(HostSession, MetadataRefresh, Set)}). An inventory that leaves
   * files to the catalog keeps its installed packages whole ({@link EngineInventory#compact} leaves
   * it as it is): which of them the catalog's advisories name is known only centrally.
   */
  public HostInventory collect(HostSession session, MetadataRefresh refresh, Set<String> knownChecksums) {
    return bounded(EngineInventory.compact(collector.collect(session, refresh, knownChecksums)), "inventory");
  }

  /** Installs the plan (one transaction, then patch by patch on failure) and reads the host back in the same session. */
  public InstallResult install(HostSession session, RepairPlan plan) {
    Map<String, String> failures = installer.install(session, plan);
    return bounded(new InstallResult(failures, EngineInventory.compact(collector.collect(session, MetadataRefresh.AUTO))),
        "inventory after the repair");
  }

  /**
   * A result larger than Temporal should carry fails the host with a kind that says so, instead of
   * the batch with a blob-size error.
   */
  private static <T> T bounded(T result, String what) {
    int bytes = ActivityPayloads.sizeOf(result);
    if (bytes > ActivityPayloads.MAX_BYTES) {
      throw new HostAccessException(HostErrorKind.INVENTORY_TOO_LARGE, "the host's " + what + " (the packages that"
          + " applicable advisories name, and those advisories) comes to " + bytes / 1024 + " KiB, more than a host step"
          + " may hand on (" + ActivityPayloads.MAX_BYTES / 1024 + " KiB)");
    }
    return result;
  }

  /**
   * Runs a ticket's hook script in the host's shell: {@code sh -c '<script>' <hook> <phase> <ticket>},
   * so the script sees its phase as {@code $1} and the ticket as {@code $2}. Every value passes a
   * strict pattern first ({@link HostHook}); the script is an admin's, stored and checked. A script
   * that exits non-zero or runs past its timeout is a result, not a failure of the step.
   */
  public HookResult runHook(HostSession session, HookRun run) {
    HostHook hook = run.hook();
    ShellCommand command = ShellCommand.of("sh", "-c")
        .value(hook.script(), HostHook.SCRIPT, "hook script " + hook.label())
        .value("patchloop-hook-" + hook.name(), HOOK_ZERO, "hook name")
        .value(run.phase().argument(), HostHook.NAME, "hook phase")
        .value(run.ticketId(), HostHook.TICKET_ID, "ticket id")
        .build();
    long start = clock.millis();
    try {
      CommandResult result = session.run(command, Duration.ofSeconds(hook.timeoutSeconds()));
      return new HookResult(result.exitStatus(), false, hookOutput(result.stdout(), result.stderr()),
          clock.millis() - start);
    } catch (HostAccessException e) {
      if (e.kind() != HostErrorKind.TIMEOUT || Thread.currentThread().isInterrupted()) {
        throw e; // unreachable, or the step itself was abandoned: not the script's doing
      }
      return new HookResult(-1, true, hookOutput("", e.getMessage()), clock.millis() - start);
    }
  }

  /** The {@code $0} of a hook script, as {@code ps} on the host shows it. */
  private static final java.util.regex.Pattern HOOK_ZERO = java.util.regex.Pattern.compile("patchloop-hook-[a-z0-9._-]{1,64}");

  /** The end of what a hook printed, stdout then stderr: where a script says why it failed. */
  static String hookOutput(String stdout, String stderr) {
    String out = stdout == null ? "" : stdout.strip();
    String err = stderr == null ? "" : stderr.strip();
    String all = out.isEmpty() ? err : err.isEmpty() ? out : out + "\n" + err;
    int max = HookResult.MAX_OUTPUT_CHARS;
    return all.length() <= max ? all : "…" + all.substring(all.length() - (max - 1));
  }

  /** @return the boot mark from before the reboot; see {@link HostBoot#requestReboot} for the two others */
  public BootMark requestReboot(HostSession session, BootMark earlierAttempt, Consumer<BootMark> remember) {
    return HostBoot.requestReboot(session, earlierAttempt, remember);
  }

  /**
   * Reads the host's boot, each time through a new session (the old one dies with the host), until
   * it runs a later boot than {@code before}. A host that does not answer yet is tried again until
   * the deadline; an answer that can never get better (a refused key, say) fails at once.
   *
   * @param host how the failure names the host, e.g. "host web-1"
   * @throws HostAccessException REBOOT_TIMEOUT when the deadline passes first
   */
  public BootMark awaitBootAfter(String host, Supplier<HostSession> sessions, BootMark before, Instant deadline) {
    String last = "it never answered";
    while (true) {
      try (HostSession session = sessions.get()) {
        BootMark now = HostBoot.read(session);
        if (now.isLaterBootThan(before)) {
          return now;
        }
        last = "it answered, but still from the boot of " + Instant.ofEpochSecond(now.bootTimeSeconds())
            + ": the reboot did not happen";
      } catch (HostAccessException e) {
        if (!e.kind().retryable()) {
          throw e;
        }
        last = "last try: " + e.getMessage();
      }
      if (!clock.instant().isBefore(deadline)) {
        throw new HostAccessException(HostErrorKind.REBOOT_TIMEOUT,
            host + " did not come back from its reboot by " + deadline + "; " + last);
      }
      try {
        Thread.sleep(bootPollInterval.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new HostAccessException(HostErrorKind.TIMEOUT, "interrupted while waiting for the reboot of " + host);
      }
    }
  }
}
