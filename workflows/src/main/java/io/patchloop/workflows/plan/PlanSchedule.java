package io.patchloop.workflows.plan;

/**
 * What a plan's workflow needs to know to fire; the rest of the plan (hosts, baseline, ticket
 * settings) is read from MySQL when it fires, so editing those needs no signal.
 *
 * @param overlap SKIP: no new ticket while the plan's previous one still runs; ALLOW: start anyway
 */
public record PlanSchedule(long planId, String cron, String timeZone, String overlap, boolean paused) {

  public static final String SKIP = "SKIP";
  public static final String ALLOW = "ALLOW";
}
