package io.patchloop.workflows.scan;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/**
 * Scanning one host: connect, collect its inventory, evaluate it against a baseline and store
 * the host's newest report. Failures are Temporal application failures whose type is the error
 * kind (UNREACHABLE, TIMEOUT, AUTH_FAILED, HOST_KEY_REFUSED, COMMAND_FAILED, OUTPUT_UNPARSEABLE);
 * only UNREACHABLE and TIMEOUT are worth retrying, the others are marked non-retryable.
 */
@ActivityInterface
public interface ScanActivities {

  @ActivityMethod
  ScanSummary scanHost(ScanRequest request);
}
