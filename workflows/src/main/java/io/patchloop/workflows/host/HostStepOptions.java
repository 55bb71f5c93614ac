package io.patchloop.workflows.host;

import io.patchloop.workflows.TaskQueues;
import io.patchloop.workflows.UiText;
import io.patchloop.workflows.agent.AgentRouting;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import java.time.Duration;

/** The activity options of host work: transient failures retried with backoff, deterministic ones not at all. */
public final class HostStepOptions {

  /** Error kinds that fail the same way however often they are tried. */
  private static final String[] NOT_RETRYABLE = HostErrorKind.notRetryableTypes();

  private static RetryOptions hostRetries(int attempts) {
    return RetryOptions.newBuilder()
        .setInitialInterval(Duration.ofSeconds(5))
        .setBackoffCoefficient(2.0)
        .setMaximumInterval(Duration.ofMinutes(1))
        .setMaximumAttempts(attempts)
        .setDoNotRetry(NOT_RETRYABLE)
        .build();
  }

  static final ActivityOptions SCAN = ActivityOptions.newBuilder()
      // the collector's own command timeout is 5 minutes; connecting adds seconds; before it, the
      // step waits up to 5 minutes for the platform's database should it be away (DatabaseWait)
      .setStartToCloseTimeout(Duration.ofMinutes(11))
      // the activity heartbeats every 5 s while it waits on the host: a dead worker is noticed in 20 s
      .setHeartbeatTimeout(Duration.ofSeconds(20))
      .setRetryOptions(hostRetries(3))
      .build();

  static final ActivityOptions REPAIR = ActivityOptions.newBuilder()
      // the install's runs share 33 minutes (RpmInstaller.BUDGET), reading the host back 5, and
      // waiting for the platform's database, should it be away, up to 5 before the work starts
      .setStartToCloseTimeout(Duration.ofMinutes(45))
      .setHeartbeatTimeout(Duration.ofSeconds(20))
      // installing again is safe: what went in is no longer missing, the rest is tried again
      .setRetryOptions(hostRetries(3))
      .build();

  /**
   * The central steps: planning, evaluating and recording. They heartbeat while they evaluate a
   * large inventory. The host's work is done by then, so a database that is away (a failover, a
   * restart: DATABASE_UNAVAILABLE) is waited for, up to 15 minutes, rather than failing the host;
   * the steps themselves say INTERNAL, which is not retried, for anything else unexpected.
   */
  public static final ActivityOptions CENTRAL = ActivityOptions.newBuilder()
      .setStartToCloseTimeout(Duration.ofMinutes(6))
      .setScheduleToCloseTimeout(Duration.ofMinutes(15))
      .setHeartbeatTimeout(Duration.ofSeconds(20))
      .setRetryOptions(RetryOptions.newBuilder()
          .setInitialInterval(Duration.ofSeconds(1))
          .setBackoffCoefficient(2.0)
          .setMaximumInterval(Duration.ofSeconds(30))
          .setDoNotRetry(NOT_RETRYABLE)
          .build())
      .build();

  /** The fused SSH scan and repair of batches of an older release: a repair's timeouts, which cover a scan's. */
  public static final ActivityOptions FUSED_SSH = REPAIR;

  static final ActivityOptions REBOOT_REQUEST = ActivityOptions.newBuilder()
      // two short commands, after waiting up to 5 minutes for the database should it be away
      .setStartToCloseTimeout(Duration.ofMinutes(7))
      .setHeartbeatTimeout(Duration.ofSeconds(20))
      .setRetryOptions(hostRetries(3))
      .build();

  /**
   * A hook script: its own timeout (enforced on the host) plus time to connect and to wait for the
   * database. Tried once: a hook may drain a node or stop an application, which should not happen
   * twice because a connection dropped; the host fails instead and a person looks.
   */
  static ActivityOptions hook(int timeoutSeconds) {
    return ActivityOptions.newBuilder()
        .setStartToCloseTimeout(Duration.ofSeconds(timeoutSeconds + 420L))
        .setHeartbeatTimeout(Duration.ofSeconds(20))
        .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
        .build();
  }

  /** Waiting for a rebooted host: the wait carries its own deadline; this timeout only backs it up. */
  static ActivityOptions rebootWait(int timeoutSeconds) {
    return ActivityOptions.newBuilder()
        .setStartToCloseTimeout(Duration.ofSeconds(timeoutSeconds + 120L))
        .setHeartbeatTimeout(Duration.ofSeconds(20))
        .setRetryOptions(hostRetries(3))
        .build();
  }

  /**
   * {@code base}'s options for a step on an agent host: on the agent's own queue, failing fast
   * when no agent picks it up, and noticing within the heartbeat timeout when the agent dies.
   */
  static ActivityOptions onAgent(ActivityOptions base, long hostId, AgentRouting routing) {
    return ActivityOptions.newBuilder(base)
        .setTaskQueue(TaskQueues.forHost(hostId))
        .setScheduleToStartTimeout(Duration.ofSeconds(routing.scheduleToStartSeconds()))
        .setHeartbeatTimeout(Duration.ofSeconds(routing.heartbeatTimeoutSeconds()))
        // one try per activity: AgentHostSteps tries again itself, so each try has its own schedule-to-start
        .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
        .build();
  }

  /** Waiting for an agent host's reboot: retried until the agent is back, within the reboot timeout. */
  static ActivityOptions agentRebootWait(long hostId, AgentRouting routing, int timeoutSeconds) {
    return ActivityOptions.newBuilder()
        .setTaskQueue(TaskQueues.forHost(hostId))
        .setScheduleToCloseTimeout(Duration.ofSeconds(timeoutSeconds))
        .setHeartbeatTimeout(Duration.ofSeconds(routing.heartbeatTimeoutSeconds()))
        .setRetryOptions(RetryOptions.newBuilder()
            .setInitialInterval(Duration.ofSeconds(1))
            .setBackoffCoefficient(1.5)
            .setMaximumInterval(Duration.ofSeconds(10))
            .setDoNotRetry(NOT_RETRYABLE)
            .build())
        .build();
  }

  public static final ActivityOptions RECORDS = ActivityOptions.newBuilder()
      .setStartToCloseTimeout(Duration.ofSeconds(30))
      .setRetryOptions(RetryOptions.newBuilder().setInitialInterval(Duration.ofSeconds(1))
          .setMaximumInterval(Duration.ofSeconds(30)).build())
      .build();

  /**
   * {@code base} with the summary Temporal's Web UI shows for the activity ("scan lab01
   * 127.0.0.1:2201"). Only the UI reads it: a replay does not compare it with the history, so
   * histories recorded without summaries replay as before.
   */
  public static ActivityOptions summarized(ActivityOptions base, String summary) {
    return ActivityOptions.newBuilder(base).setSummary(UiText.summary(summary)).build();
  }

  private HostStepOptions() {}

}
