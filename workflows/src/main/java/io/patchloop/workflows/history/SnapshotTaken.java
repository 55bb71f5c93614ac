package io.patchloop.workflows.history;

/**
 * A daily snapshot taken.
 *
 * @param rows rows written for the day
 * @param deleted rows of older days deleted by the retention
 * @param nextTimeOfDay HH:mm (UTC) of the next snapshot, as configured now: a changed
 *     patchloop.history.time takes effect from the snapshot after the one already scheduled
 */
public record SnapshotTaken(int rows, int deleted, String nextTimeOfDay) {}
