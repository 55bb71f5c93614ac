package io.patchloop.workflows.ticket;

/**
 * When a ticket stops starting hosts: after {@code maxFailures} failed hosts, or after
 * {@code maxFailurePercent} of all its hosts failed. Neither: it never suspends.
 */
public record SuspensionSpec(Integer maxFailures, Integer maxFailurePercent) {

  public static SuspensionSpec never() {
    return new SuspensionSpec(null, null);
  }

  /** The failure count that suspends a ticket of {@code hostCount} hosts; Integer.MAX_VALUE for never. */
  public int threshold(int hostCount) {
    if (maxFailures != null) {
      return Math.max(1, maxFailures);
    }
    if (maxFailurePercent != null) {
      // at least one failure: "0 %" would otherwise stop a ticket before it starts
      return Math.max(1, (int) Math.ceil(hostCount * maxFailurePercent / 100.0));
    }
    return Integer.MAX_VALUE;
  }
}
