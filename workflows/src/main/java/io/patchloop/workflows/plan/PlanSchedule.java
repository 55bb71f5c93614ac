package io.patchloop.workflows.plan;

/**
 * What a plan's workflow needs to know to fire; the rest of the plan (hosts, baseline, ticket
 * settings) is read from MySQL when it fires, so editing those needs no signal.
 *
 * @param overlap SKIP: no new ticket while the plan's previous one still runs; ALLOW: start anyway
 * @param after {@link #REPAIR_AFTER_SCAN}: once a run's scan ended, start the repair of what it
 *     found non-compliant; null (and in plans started before it existed): nothing after the run's ticket
 */
public record PlanSchedule(long planId, String cron, String timeZone, String overlap, boolean paused, String after) {

  public static final String SKIP = "SKIP";
  public static final String ALLOW = "ALLOW";
  public static final String REPAIR_AFTER_SCAN = "REPAIR_AFTER_SCAN";

  public PlanSchedule(long planId, String cron, String timeZone, String overlap, boolean paused) {
    this(planId, cron, timeZone, overlap, paused, null);
  }

  public boolean repairsAfterScan() {
    return REPAIR_AFTER_SCAN.equals(after);
  }
}
