package io.patchloop.workflows.history;

import io.temporal.activity.ActivityInterface;

/** What the daily snapshot does in the database; idempotent for one day (a retry replaces the day's rows). */
@ActivityInterface
public interface ComplianceHistoryActivities {

  /**
   * Takes the snapshot of {@code day} from the newest reports now, then deletes the days older than
   * the retention.
   *
   * @param day YYYY-MM-DD (UTC)
   * @return what was written, and the time of day the worker's configuration asks for next
   */
  SnapshotTaken takeSnapshot(String day);
}
