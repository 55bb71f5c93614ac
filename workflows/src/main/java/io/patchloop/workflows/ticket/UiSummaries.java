package io.patchloop.workflows.ticket;

import io.patchloop.workflows.UiText;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The one-line texts Temporal's Web UI shows of tickets: a ticket's and a batch's static summary
 * ("SCAN 120 hosts · baseline HCE-default · batch 2/4"), each host step's summary ("scan lab01
 * 127.0.0.1:2201"), and the current details with progress ("batch 2/4 · 37/120 done · 3 failed ·
 * paused"). Pure functions of what the workflow already holds: they make no command, and a
 * replay computes the same text.
 * Every summary is cut to what a Temporal server takes ({@link UiText}).
 */
public final class UiSummaries {

  static final String DOT = " · ";

  private UiSummaries() {}

  /** A ticket's static summary: "SCAN 120 hosts · baseline HCE-default · 4 batches". */
  public static String ticket(Operation operation, int hostCount, String baseline, int batchCount) {
    return summary(operation + " " + hosts(hostCount) + DOT + "baseline " + baseline + DOT + batchCount
        + (batchCount == 1 ? " batch" : " batches"));
  }

  /** A batch's static summary: "SCAN 30 hosts · baseline HCE-default · batch 2/4". */
  static String batch(Operation operation, int hostCount, String baseline, int batchNo, int batchCount) {
    return summary(operation + " " + hosts(hostCount) + DOT + "baseline " + baseline + DOT + "batch " + batchNo + "/"
        + batchCount);
  }

  /** The ticket's baseline as its labels name it; without labels, its id or "OS default". */
  static String baseline(TicketLabels labels, Long baselineId) {
    if (labels != null && labels.baseline() != null) {
      return labels.baseline();
    }
    return baselineId == null ? "OS default" : "#" + baselineId;
  }

  /** A host step's summary: "scan lab01 127.0.0.1:2201". */
  public static String step(String what, String hostLabel) {
    return summary(what + " " + hostLabel);
  }

  /** {@code text} cut to what a summary may take ({@link UiText#MAX_SUMMARY_BYTES}). */
  public static String summary(String text) {
    return UiText.summary(text);
  }

  /**
   * A ticket's current details: "batch 2/4 · 37/120 done · 3 failed · paused" while it runs (done
   * counts succeeded, failed and not run hosts, as the console does; a running batch's hosts count
   * once it ends), "scheduled for …" before its start, and its end with the final counts after.
   *
   * @param cancelling a cancel was sent and the ticket has not ended yet
   * @param startAtMillis when a scheduled ticket starts
   */
  static String ticketDetails(TicketProgress p, boolean cancelling, long startAtMillis) {
    List<String> parts = new ArrayList<>();
    int done = p.succeeded() + p.failed() + p.notRun();
    if (p.status() == TicketStatus.SCHEDULED) {
      parts.add("scheduled for " + Instant.ofEpochMilli(startAtMillis));
      parts.add(hosts(p.hostCount()) + " in " + p.batchCount() + (p.batchCount() == 1 ? " batch" : " batches"));
    } else {
      if (p.status().finished()) {
        parts.add(p.status().name());
      }
      parts.add(p.currentBatch() > 0 ? "batch " + p.currentBatch() + "/" + p.batchCount()
          : p.batchCount() + (p.batchCount() == 1 ? " batch" : " batches"));
      parts.add(done + "/" + p.hostCount() + " done");
      parts.add(p.failed() + " failed");
      if (p.notRun() > 0) {
        parts.add(p.notRun() + " not run");
      }
    }
    if (!p.status().finished()) {
      if (p.paused()) {
        parts.add("paused");
      }
      if (cancelling) {
        parts.add("cancelling");
      }
    }
    return String.join(DOT, parts);
  }

  /**
   * A batch's current details: "12/30 done · 1 failed · 3 running" (done counts succeeded, failed
   * and not run hosts), with "paused", "cancelled" or "failure threshold reached" when it starts
   * no new host.
   */
  static String batchDetails(int done, int hostCount, int failed, int notRun, int running, boolean paused,
      boolean cancelled, boolean outOfBudget) {
    List<String> parts = new ArrayList<>();
    parts.add(done + "/" + hostCount + " done");
    parts.add(failed + " failed");
    if (notRun > 0) {
      parts.add(notRun + " not run");
    }
    if (running > 0) {
      parts.add(running + " running");
    }
    if (cancelled) {
      parts.add("cancelled");
    } else if (outOfBudget) {
      parts.add("failure threshold reached");
    } else if (paused) {
      parts.add("paused");
    }
    return String.join(DOT, parts);
  }

  static String hosts(int count) {
    return count + (count == 1 ? " host" : " hosts");
  }
}
