package io.patchloop.workflows.repair;

/**
 * @param deadlineMillis epoch millis, fixed by the workflow, so a retried wait keeps the same deadline
 */
public record AwaitReboot(long hostId, BootMark before, long deadlineMillis) {}
