package io.patchloop.agent;

import io.patchloop.collect.RpmCollector;
import io.patchloop.hostaccess.HostAccessException;
import io.patchloop.hostaccess.HostSession;
import io.patchloop.inventory.HostInventory;
import io.patchloop.repair.HostBoot;
import io.patchloop.repair.RpmInstaller;
import io.patchloop.scan.Heartbeats;
import io.patchloop.workflows.agent.HostAgentActivities;
import io.patchloop.workflows.repair.BootMark;
import io.patchloop.workflows.repair.InstallResult;
import io.patchloop.workflows.repair.RepairPlan;
import io.temporal.activity.Activity;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's side of scans and repairs, on the host itself: the same collector, installer and
 * boot reading as the SSH path, over a local session instead of an SSH one. Registered only by the
 * agent, on its own host's queue; deliberately not a Spring bean, so the central workers never
 * offer to run host steps of a host they are not on.
 */
public class HostAgentActivitiesImpl implements HostAgentActivities {

  private static final Logger log = LoggerFactory.getLogger(HostAgentActivitiesImpl.class);
  /** Waiting for a reboot that never comes ends here even if the activity's own timeout was missed. */
  static final Duration LONGEST_REBOOT_WAIT = Duration.ofHours(2);

  private final Supplier<HostSession> sessions;
  private final RpmCollector collector;
  private final RpmInstaller installer;
  private final Duration bootPollInterval;

  public HostAgentActivitiesImpl(Supplier<HostSession> sessions, RpmCollector collector, RpmInstaller installer,
      Duration bootPollInterval) {
    this.sessions = sessions;
    this.collector = collector;
    this.installer = installer;
    this.bootPollInterval = bootPollInterval;
  }

  @Override
  public HostInventory collectInventory() {
    return Heartbeats.during(() -> onHost("collect the inventory", collector::collect));
  }

  @Override
  public InstallResult installPatches(RepairPlan plan) {
    return Heartbeats.during(() -> onHost("install patches",
        session -> new InstallResult(installer.install(session, plan), collector.collect(session))));
  }

  @Override
  public BootMark requestReboot() {
    BootMark before = Heartbeats.during(() -> onHost("reboot", HostBoot::requestReboot));
    log.info("rebooting in 2 s; boot before: {}", before);
    return before;
  }

  @Override
  public BootMark awaitBootAfter(BootMark before) {
    return Heartbeats.during(() -> {
      long deadline = System.nanoTime() + LONGEST_REBOOT_WAIT.toNanos();
      while (System.nanoTime() < deadline) {
        BootMark now = onHost("read the boot", HostBoot::read);
        if (now.isLaterBootThan(before)) {
          log.info("running a later boot: {} after {}", now, before);
          return now;
        }
        // the reboot was asked for but has not happened yet: this agent goes down with it, and the
        // step's retry is picked up by the agent of the next boot
        try {
          Thread.sleep(bootPollInterval.toMillis());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
      throw ApplicationFailure.newNonRetryableFailure("the host never ran a later boot than " + before, "REBOOT_TIMEOUT");
    });
  }

  private <T> T onHost(String what, Function<HostSession, T> work) {
    try (HostSession session = sessions.get()) {
      return work.apply(session);
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
