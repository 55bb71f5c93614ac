package io.patchloop.hoststeps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.patchloop.common.OsFamily;
import io.patchloop.common.Scenario;
import io.patchloop.compliance.PatchState;
import io.patchloop.hostaccess.HostAccess;
import io.patchloop.hostaccess.HostAccessException;
import io.patchloop.hostaccess.HostSession;
import io.patchloop.hostaccess.HostTarget;
import io.patchloop.hostaccess.ShellCommand;
import io.patchloop.hosts.Host;
import io.patchloop.hosts.HostSpec;
import io.patchloop.hosts.HostStore;
import io.patchloop.rpm.Evr;
import io.patchloop.repair.HostBoot;
import io.patchloop.repair.RpmInstaller;
import io.patchloop.store.StoreTestApplication;
import io.patchloop.testing.lab.LabFleet;
import io.patchloop.workflows.host.HostErrorKind;
import io.patchloop.workflows.host.SshHostActivities;
import io.patchloop.workflows.repair.BootMark;
import io.patchloop.workflows.repair.RepairPlan;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.testing.TestActivityEnvironment;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Host commands that Patchloop stops waiting for are stopped on the host too, two repairs never
 * install on one host at once, and a retried reboot request does not reboot a host twice (review
 * M5), on a real lab host over real SSH.
 */
@SpringBootTest(classes = StoreTestApplication.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostCommandLabTest {

  @RegisterExtension
  static LabFleet fleet = LabFleet.builder().hosts(1).profile("demo").build();

  @DynamicPropertySource
  static void database(DynamicPropertyRegistry registry) {
    StoreTestApplication.database(registry, "hostcommands");
  }

  @Autowired HostAccess access;
  @Autowired HostStore hosts;
  @Autowired HostWork work;
  @Autowired SshHostActivitiesImpl sshSteps;
  @Autowired RpmInstaller installer;

  LabFleet.Host labHost;
  Host host;
  TestActivityEnvironment activities;

  @BeforeAll
  void register() {
    labHost = fleet.hosts().get(0);
    host = hosts.create(new HostSpec(labHost.name(), labHost.address(), labHost.port(), "root",
        fleet.keyPath().toString(), null, OsFamily.valueOf(labHost.osFamily()), Scenario.ECS, Map.of()));
    activities = TestActivityEnvironment.newInstance();
    activities.registerActivitiesImplementations(sshSteps);
  }

  @AfterAll
  void close() {
    activities.close();
  }

  private HostSession session() {
    return access.open(new HostTarget(labHost.address(), labHost.port(), "root", fleet.keyPath(), null, null));
  }

  /** The host's processes whose command line starts with {@code start} (not the shells that started them). */
  private List<String> processesNaming(String start) {
    return fleet.ssh(labHost.index(), "ps -eo args").lines().stream().filter(l -> l.startsWith(start)).toList();
  }

  private void awaitGone(String marker) throws InterruptedException {
    for (int i = 0; i < 50 && !processesNaming(marker).isEmpty(); i++) {
      Thread.sleep(200);
    }
    assertThat(processesNaming(marker)).as("processes left on the host").isEmpty();
  }

  @Test
  void aCommandThatTimesOutIsStoppedOnTheHostWithEverythingItStarted() throws Exception {
    try (HostSession session = session()) {
      assertThatThrownBy(() -> session.run(ShellCommand.constant("sleep 2971 & sleep 2972; wait"), Duration.ofSeconds(2)))
          .isInstanceOfSatisfying(HostAccessException.class, e -> {
            assertThat(e.kind()).as(e.getMessage()).isEqualTo(HostErrorKind.TIMEOUT);
            assertThat(e.getMessage()).contains("within 2 s").contains("stopped on the host");
          });
    }
    awaitGone("sleep 297");
  }

  /** What Heartbeats does when Temporal cancels or times out the activity: the interrupted step stops the host's command. */
  @Test
  void aCommandWhoseStepWasAbandonedIsStoppedOnTheHost() throws Exception {
    AtomicReference<Thread> runner = new AtomicReference<>();
    CompletableFuture<Void> step = CompletableFuture.runAsync(() -> {
      runner.set(Thread.currentThread());
      try (HostSession session = session()) {
        session.run(ShellCommand.constant("sleep 2981 & sleep 2982; wait"), Duration.ofMinutes(5));
      }
    });
    for (int i = 0; i < 100 && processesNaming("sleep 298").size() < 2; i++) {
      Thread.sleep(100);
    }
    assertThat(processesNaming("sleep 298")).as("the command runs").hasSize(2);
    runner.get().interrupt();
    assertThatThrownBy(step::join).hasCauseInstanceOf(HostAccessException.class)
        .cause().hasMessageContaining("abandoned (stopped on the host)");
    awaitGone("sleep 298");
  }

  @Test
  void stderrKeepsWhatTheCommandPrintedAndNothingOfTheWrapper() {
    try (HostSession session = session()) {
      var r = session.run(ShellCommand.constant("echo out; echo err >&2; exit 3"), Duration.ofSeconds(20));
      assertThat(r.exitStatus()).isEqualTo(3);
      assertThat(r.stdout()).isEqualTo("out\n");
      assertThat(r.stderr()).isEqualTo("err\n");
    }
  }

  @Test
  void aRepairWhileAnotherHoldsTheHostsRepairLockFailsHostBusyAndTouchesNoPackage() throws Exception {
    // the lock file the installer uses: /run/lock where there is one, as on every systemd host
    fleet.ssh(labHost.index(), "L=/run/lock; [ -d $L ] || L=/tmp;"
        + " nohup flock $L/patchloop-repair.lock sleep 2991 </dev/null >/dev/null 2>&1 &");
    try {
      for (int i = 0; i < 50 && processesNaming("sleep 2991").isEmpty(); i++) {
        Thread.sleep(100);
      }
      assertThat(processesNaming("sleep 2991")).as("the other repair holds the lock").hasSize(1);
      RepairPlan plan = new RepairPlan(List.of(new RepairPlan.Patch("HCE2-SA-2026-9999", PatchState.MISSING, "HIGH",
          List.of(new RepairPlan.Target("bash", "x86_64", Evr.parse("99-1.hce2"))), false)), List.of());
      try (HostSession session = session()) {
        assertThatThrownBy(() -> installer.install(session, plan))
            .isInstanceOfSatisfying(HostAccessException.class, e -> {
              assertThat(e.kind()).isEqualTo(HostErrorKind.HOST_BUSY);
              assertThat(e.getMessage()).contains("another Patchloop repair is installing");
            });
      }
    } finally {
      fleet.ssh(labHost.index(), "pkill -f 'sleep 299[1]'");
    }
  }

  private SshHostActivities rebootRequests() {
    return activities.newActivityStub(SshHostActivities.class, ActivityOptions.newBuilder()
        .setStartToCloseTimeout(Duration.ofMinutes(1))
        .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
        .build());
  }

  /**
   * A retry of the reboot request after an attempt whose reboot happened (the worker died before
   * it answered) finds a later boot than the mark that attempt recorded, and does not reboot.
   */
  @Test
  void aRetriedRebootRequestDoesNotRebootAHostThatAlreadyRebooted() throws Exception {
    BootMark current;
    try (HostSession session = session()) {
      current = HostBoot.read(session);
    }
    BootMark recordedByTheFirstAttempt = new BootMark(current.bootId(), current.bootTimeSeconds() - 120,
        current.initStartSeconds() - 120, current.clockBootSeconds() - 120);
    activities.setHeartbeatDetails(recordedByTheFirstAttempt);
    try {
      assertThat(rebootRequests().requestReboot(host.id())).isEqualTo(recordedByTheFirstAttempt);
    } finally {
      activities.setHeartbeatDetails(null);
    }
    Thread.sleep(4000); // the reboot would be asked for 2 s after the request
    try (HostSession session = session()) {
      assertThat(HostBoot.read(session).isLaterBootThan(current)).as("rebooted again").isFalse();
    }
  }

  /** The first attempt records its mark before it asks for the reboot, so a retry can compare. */
  @Test
  void aRebootRequestRecordsTheBootItAskedToLeave() throws Exception {
    AtomicReference<BootMark> recorded = new AtomicReference<>();
    activities.setActivityHeartbeatListener(BootMark.class, recorded::set);
    BootMark before = rebootRequests().requestReboot(host.id());
    assertThat(recorded.get()).isEqualTo(before);
    BootMark after = work.awaitBootAfter("host " + host.name(), this::session, before,
        java.time.Instant.now().plusSeconds(60));
    assertThat(after.isLaterBootThan(before)).isTrue();
  }
}
