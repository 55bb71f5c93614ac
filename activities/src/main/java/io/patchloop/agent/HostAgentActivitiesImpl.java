package io.patchloop.agent;

import io.patchloop.hostaccess.HostAccessException;
import io.patchloop.hostaccess.HostSession;
import io.patchloop.hoststeps.Heartbeats;
import io.patchloop.hoststeps.HostWork;
import io.patchloop.inventory.HostInventory;
import io.patchloop.workflows.agent.HostAgentActivities;
import io.patchloop.workflows.hooks.HookResult;
import io.patchloop.workflows.hooks.HookRun;
import io.patchloop.workflows.repair.BootMark;
import io.patchloop.workflows.repair.InstallResult;
import io.patchloop.workflows.repair.RebootOption;
import io.patchloop.workflows.repair.RepairPlan;
import io.patchloop.workflows.scan.MetadataRefresh;
import io.temporal.activity.Activity;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's side of scans and repairs, on the host itself: the same {@link HostWork} as the SSH
 * path, over a local session instead of an SSH one. Registered only by the agent, on its own
 * host's queue; deliberately not a Spring bean, so the central workers never offer to run host
 * steps of a host they are not on.
 */
public class HostAgentActivitiesImpl implements HostAgentActivities {

  private static final Logger log = LoggerFactory.getLogger(HostAgentActivitiesImpl.class);
  /** Waiting for a reboot that never comes ends here even if the workflow's own timeout was missed. */
  static final Duration LONGEST_REBOOT_WAIT = Duration.ofSeconds(RebootOption.MAX_TIMEOUT_SECONDS);

  private final Supplier<HostSession> sessions;
  private final HostWork work;
  private final Clock clock;

  public HostAgentActivitiesImpl(Supplier<HostSession> sessions, HostWork work, Clock clock) {
    this.sessions = sessions;
    this.work = work;
    this.clock = clock;
  }

  @Override
  public HostInventory collectInventory(MetadataRefresh refresh, List<String> knownChecksums) {
    MetadataRefresh how = MetadataRefresh.orDefault(refresh);
    Set<String> known = knownChecksums == null ? Set.of() : new HashSet<>(knownChecksums);
    HostInventory inventory = Heartbeats.during(() -> onHost("collect the inventory",
        session -> work.collect(session, how, known)));
    if (inventory.awaitsCatalogAdvisories()) {
      log.info("the inventory leaves {} updateinfo file(s) to the platform's catalog: {}",
          inventory.catalogChecksums().size(), inventory.catalogChecksums());
    }
    return inventory;
  }

  @Override
  public InstallResult installPatches(RepairPlan plan) {
    return Heartbeats.during(() -> onHost("install patches", session -> work.install(session, plan)));
  }

  @Override
  public HookResult runHook(HookRun run) {
    HookResult result = Heartbeats.during(() -> onHost("run the " + run.phase().argument() + "-hook "
        + run.hook().label(), session -> work.runHook(session, run)));
    log.info("{}-hook {} {}", run.phase().argument(), run.hook().label(), result.describe(run.hook().timeoutSeconds()));
    return result;
  }

  @Override
  public BootMark requestReboot() {
    // agent steps are tried once per activity (AgentHostSteps tries again with a new one), so an
    // earlier attempt's mark is only there when Temporal itself retried this one
    BootMark earlier = Heartbeats.recorded(BootMark.class).orElse(null);
    BootMark before = Heartbeats.during(() -> onHost("reboot", s -> work.requestReboot(s, earlier, Heartbeats::record)));
    log.info("rebooting in 2 s; boot before: {}", before);
    return before;
  }

  /**
   * The reboot was asked for but may not have happened yet: this agent goes down with it, and the
   * step's retry is picked up by the agent of the next boot, which answers at once.
   */
  @Override
  public BootMark awaitBootAfter(BootMark before) {
    return Heartbeats.during(() -> {
      try {
        BootMark now = work.awaitBootAfter("this host", sessions, before, clock.instant().plus(LONGEST_REBOOT_WAIT));
        log.info("running a later boot: {} after {}", now, before);
        return now;
      } catch (HostAccessException e) {
        throw e.toActivityFailure();
      }
    });
  }

  private <T> T onHost(String what, Function<HostSession, T> step) {
    try (HostSession session = sessions.get()) {
      return step.apply(session);
    } catch (HostAccessException e) {
      log.info("could not {} (attempt {}): {} {}", what, attempt(), e.kind(), e.getMessage());
      throw e.toActivityFailure();
    }
  }

  private static int attempt() {
    try {
      return Activity.getExecutionContext().getInfo().getAttempt();
    } catch (RuntimeException notInAnActivity) {
      return 1;
    }
  }
}
