package io.patchloop.reports;

import io.patchloop.workflows.TaskQueues;
import io.patchloop.workflows.history.ComplianceHistoryActivities;
import io.patchloop.workflows.history.SnapshotTaken;
import io.temporal.spring.boot.ActivityImpl;
import java.time.Clock;
import java.time.LocalDate;
import org.springframework.stereotype.Component;

/** Takes the daily compliance snapshot and applies the retention, as patchloop.history.* configures them. */
@Component
@ActivityImpl(taskQueues = TaskQueues.TICKETS)
public class ComplianceHistoryActivitiesImpl implements ComplianceHistoryActivities {

  private final ComplianceHistoryStore history;
  private final ComplianceHistoryProperties properties;
  private final Clock clock;

  public ComplianceHistoryActivitiesImpl(ComplianceHistoryStore history, ComplianceHistoryProperties properties,
      Clock clock) {
    this.history = history;
    this.properties = properties;
    this.clock = clock;
  }

  /** The snapshot of the day; the days before the last retention-days ones (counting this one) go. */
  @Override
  public SnapshotTaken takeSnapshot(String isoDay) {
    LocalDate day = LocalDate.parse(isoDay);
    int rows = history.snapshot(day, clock.instant(), properties.tagKeys()).size();
    int deleted = history.deleteOlderThan(day.minusDays(properties.retentionDays() - 1L));
    return new SnapshotTaken(rows, deleted, properties.time().toString());
  }
}
