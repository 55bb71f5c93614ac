package io.patchloop.hoststeps;

import io.patchloop.hostaccess.HostAccess;
import io.patchloop.hostaccess.HostAccessException;
import io.patchloop.hostaccess.HostSession;
import io.patchloop.hostaccess.HostTarget;
import io.patchloop.hosts.Host;
import io.patchloop.hosts.HostStore;
import io.patchloop.hosts.HostTargets;
import io.patchloop.inventory.HostInventory;
import io.patchloop.workflows.TaskQueues;
import io.patchloop.workflows.hooks.HookResult;
import io.patchloop.workflows.hooks.HookRun;
import io.patchloop.workflows.host.SshHostActivities;
import io.patchloop.workflows.repair.AwaitReboot;
import io.patchloop.workflows.repair.BootMark;
import io.patchloop.workflows.repair.InstallResult;
import io.patchloop.workflows.repair.RepairPlan;
import io.patchloop.workflows.scan.MetadataRefresh;
import io.temporal.spring.boot.ActivityImpl;
import java.time.Instant;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The host-side steps over SSH: each opens its own session to the host and runs {@link HostWork}
 * in it. A failure ends the activity typed with its kind; the workflow records it on the host. The
 * database being away while a step reads the host is waited out ({@link DatabaseWait}).
 */
@Component
@ActivityImpl(taskQueues = TaskQueues.TICKETS)
public class SshHostActivitiesImpl implements SshHostActivities {

  private static final Logger log = LoggerFactory.getLogger(SshHostActivitiesImpl.class);

  private final HostStore hosts;
  private final HostTargets targets;
  private final HostAccess access;
  private final HostWork work;
  private final HostStepTimer timer;

  public SshHostActivitiesImpl(HostStore hosts, HostTargets targets, HostAccess access, HostWork work,
      HostStepTimer timer) {
    this.timer = timer;
    this.hosts = hosts;
    this.targets = targets;
    this.access = access;
    this.work = work;
  }

  @Override
  public HostInventory collectInventory(long hostId, MetadataRefresh refresh) {
    MetadataRefresh how = MetadataRefresh.orDefault(refresh);
    return timer.time(HostStepTimer.COLLECT,
        () -> Heartbeats.during(() -> overSsh(hostId, "collect the inventory", session -> work.collect(session, how))));
  }

  @Override
  public InstallResult installPatches(long hostId, RepairPlan plan) {
    return timer.time(HostStepTimer.INSTALL,
        () -> Heartbeats.during(() -> overSsh(hostId, "install patches", session -> work.install(session, plan))));
  }

  @Override
  public HookResult runHook(long hostId, HookRun run) {
    HookResult result = timer.time(HostStepTimer.HOOK, () -> Heartbeats.during(() -> overSsh(hostId,
        "run the " + run.phase().argument() + "-hook " + run.hook().label(), session -> work.runHook(session, run))));
    log.info("host {}: {}-hook {} {}", hostId, run.phase().argument(), run.hook().label(),
        result.describe(run.hook().timeoutSeconds()));
    return result;
  }

  @Override
  public BootMark requestReboot(long hostId) {
    // the mark an attempt records before it asks is kept by Temporal for the next attempt
    BootMark earlier = Heartbeats.recorded(BootMark.class).orElse(null);
    BootMark before = timer.time(HostStepTimer.REBOOT_REQUEST, () -> Heartbeats.during(() -> overSsh(hostId,
        "ask for a reboot", s -> work.requestReboot(s, earlier, Heartbeats::record))));
    log.info("host {} asked to reboot; boot before: {}", hostId, before);
    return before;
  }

  @Override
  public BootMark awaitReboot(AwaitReboot request) {
    return timer.time(HostStepTimer.REBOOT_WAIT, () -> awaitBoot(request));
  }

  private BootMark awaitBoot(AwaitReboot request) {
    return Heartbeats.during(() -> {
      Host host = DatabaseWait.forRead("the host", () -> hosts.get(request.hostId()));
      // read once: the database need not answer on every poll of a rebooting host
      HostTarget target = DatabaseWait.forRead("the host's credential", () -> targets.of(host));
      try {
        BootMark now = work.awaitBootAfter("host " + host.name(), () -> access.open(target), request.before(),
            Instant.ofEpochMilli(request.deadlineMillis()));
        log.info("host {} ({}) is back: boot {} after {}", host.id(), host.name(), now, request.before());
        return now;
      } catch (HostAccessException e) {
        throw e.toActivityFailure();
      }
    });
  }

  private <T> T overSsh(long hostId, String step, Function<HostSession, T> work) {
    Host host = DatabaseWait.forRead("the host", () -> hosts.get(hostId));
    HostTarget target = DatabaseWait.forRead("the host's credential", () -> targets.of(host));
    try (HostSession session = access.open(target)) {
      return work.apply(session);
    } catch (HostAccessException e) {
      log.info("could not {} on host {} ({}): {} {}", step, host.id(), host.name(), e.kind(), e.getMessage());
      throw e.toActivityFailure();
    }
  }
}
