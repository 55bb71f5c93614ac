package io.patchloop.workflows.scan;

import io.patchloop.inventory.HostInventory;
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

  /**
   * The central half of an agent host's scan: evaluates the inventory its agent collected and
   * stores the report, exactly as {@link #scanHost} does with what it collected over SSH.
   */
  @ActivityMethod
  ScanSummary recordScan(ScanRequest request, HostInventory inventory);

  /** Records on the host why a step its agent ran (or never picked up) failed, as the SSH path does. */
  @ActivityMethod
  void recordHostFailure(long hostId, String kind, String message);
}
