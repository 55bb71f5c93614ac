package io.patchloop.repair;

import io.patchloop.hostaccess.HostAccess;
import io.patchloop.hostaccess.HostAccessException;
import io.patchloop.hostaccess.HostSession;
import io.patchloop.hosts.Host;
import io.patchloop.hosts.HostStore;
import io.patchloop.scan.Heartbeats;
import io.patchloop.scan.HostTargets;
import io.patchloop.workflows.TaskQueues;
import io.patchloop.workflows.repair.AwaitReboot;
import io.patchloop.workflows.repair.BootMark;
import io.patchloop.workflows.repair.RebootActivities;
import io.temporal.failure.ApplicationFailure;
import io.temporal.spring.boot.ActivityImpl;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Reboots a host over SSH and waits for its next boot. The reboot is started detached and a moment
 * late, so the SSH command that asks for it returns cleanly before the host goes down.
 */
@Component
@ActivityImpl(taskQueues = TaskQueues.TICKETS)
public class RebootActivitiesImpl implements RebootActivities {

  private static final Logger log = LoggerFactory.getLogger(RebootActivitiesImpl.class);
  private final HostStore hosts;
  private final HostTargets targets;
  private final HostAccess access;
  private final Clock clock;
  private final Duration pollInterval;

  public RebootActivitiesImpl(HostStore hosts, HostTargets targets, HostAccess access, Clock clock,
      @Value("${patchloop.repair.reboot-poll-interval:3s}") Duration pollInterval) {
    this.hosts = hosts;
    this.targets = targets;
    this.access = access;
    this.clock = clock;
    this.pollInterval = pollInterval;
  }

  @Override
  public BootMark requestReboot(long hostId) {
    Host host = hosts.get(hostId);
    try (HostSession session = access.open(targets.of(host))) {
      BootMark before = HostBoot.requestReboot(session);
      log.info("host {} ({}) asked to reboot; boot before: {}", host.id(), host.name(), before);
      return before;
    } catch (HostAccessException e) {
      hosts.recordError(host.id(), e.kind().name(), "reboot: " + e.getMessage(), clock.instant());
      throw e.toActivityFailure();
    }
  }

  @Override
  public BootMark awaitReboot(AwaitReboot request) {
    return Heartbeats.during(() -> await(request));
  }

  private BootMark await(AwaitReboot request) {
    Host host = hosts.get(request.hostId());
    Instant deadline = Instant.ofEpochMilli(request.deadlineMillis());
    String last = "it never answered";
    while (true) {
      sleep(pollInterval);
      try (HostSession session = access.open(targets.of(host))) {
        BootMark now = HostBoot.read(session);
        if (now.isLaterBootThan(request.before())) {
          log.info("host {} ({}) is back: boot {} after {}", host.id(), host.name(), now, request.before());
          return now;
        }
        last = "it answered, but still from the boot of " + Instant.ofEpochSecond(now.bootTimeSeconds())
            + ": the reboot did not happen";
      } catch (HostAccessException e) {
        if (!e.kind().retryable()) {
          hosts.recordError(host.id(), e.kind().name(), "after reboot: " + e.getMessage(), clock.instant());
          throw e.toActivityFailure();
        }
        last = "last try: " + e.getMessage();
      }
      if (!clock.instant().isBefore(deadline)) {
        String message = "host " + host.name() + " did not come back from its reboot by " + deadline + "; " + last;
        hosts.recordError(host.id(), "REBOOT_TIMEOUT", message, clock.instant());
        throw ApplicationFailure.newNonRetryableFailure(message, "REBOOT_TIMEOUT");
      }
    }
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw ApplicationFailure.newFailure("interrupted while waiting for the host's reboot", "TIMEOUT");
    }
  }
}
