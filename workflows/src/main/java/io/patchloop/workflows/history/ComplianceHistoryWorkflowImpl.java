package io.patchloop.workflows.history;

import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import org.slf4j.Logger;

/**
 * One snapshot per run: a durable timer to the next time of day, the snapshot, then continue as
 * new, so the history of a workflow that runs for years stays a handful of events.
 */
public class ComplianceHistoryWorkflowImpl implements ComplianceHistoryWorkflow {

  private static final Logger log = Workflow.getLogger(ComplianceHistoryWorkflowImpl.class);

  /**
   * A database away for a while is waited for; after half a day the day is given up (the next
   * day's snapshot is taken as usual), rather than a late snapshot pretending to be of its day.
   */
  private final ComplianceHistoryActivities activities = Workflow.newActivityStub(ComplianceHistoryActivities.class,
      ActivityOptions.newBuilder()
          .setStartToCloseTimeout(Duration.ofMinutes(10))
          .setScheduleToCloseTimeout(Duration.ofHours(12))
          .setRetryOptions(RetryOptions.newBuilder().setInitialInterval(Duration.ofSeconds(5))
              .setMaximumInterval(Duration.ofMinutes(10)).build())
          .build());

  private long nextSnapshotAt;

  @Override
  public void run(String timeOfDay) {
    long now = Workflow.currentTimeMillis();
    Instant next = nextAt(Instant.ofEpochMilli(now), LocalTime.parse(timeOfDay));
    nextSnapshotAt = next.toEpochMilli();
    Workflow.sleep(Duration.ofMillis(nextSnapshotAt - now));
    LocalDate day = LocalDate.ofInstant(next, ZoneOffset.UTC);
    String nextTime = timeOfDay;
    try {
      SnapshotTaken taken = activities.takeSnapshot(day.toString());
      nextTime = taken.nextTimeOfDay();
      log.info("compliance snapshot of {}: {} rows, {} old rows deleted", day, taken.rows(), taken.deleted());
    } catch (ActivityFailure e) {
      log.warn("no compliance snapshot of {}: {}", day, e.getCause() == null ? e.getMessage()
          : e.getCause().getMessage());
    }
    Workflow.continueAsNew(nextTime);
  }

  @Override
  public long nextSnapshotAt() {
    return nextSnapshotAt;
  }

  /** The first moment after {@code now} at {@code time} UTC: today's, or tomorrow's once today's has passed. */
  static Instant nextAt(Instant now, LocalTime time) {
    ZonedDateTime today = now.atZone(ZoneOffset.UTC).toLocalDate().atTime(time).atZone(ZoneOffset.UTC);
    return today.toInstant().isAfter(now) ? today.toInstant() : today.plusDays(1).toInstant();
  }
}
