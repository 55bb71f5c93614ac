package io.patchloop.console;

import io.patchloop.plans.InspectionPlan;
import io.patchloop.plans.PlanSpec;
import io.patchloop.workflows.plan.PlanSchedule;

/**
 * The console's inspection plan form: every field of the API's {@link PlanSpec}, flat, turned into
 * one that {@code PlanService} checks exactly as it checks the API's. What is left empty is left
 * out, as in the API (no time zone: UTC; no batch: one batch; no threshold: never suspend).
 */
public class PlanForm extends HostRunForm {

  private String name;
  private String cron = "0 2 * * *";
  private String timeZone = "UTC";
  private String overlapPolicy = PlanSchedule.SKIP;
  private boolean paused;

  static PlanForm of(InspectionPlan plan) {
    PlanForm f = new PlanForm();
    f.name = plan.name();
    f.cron = plan.cron();
    f.timeZone = plan.timeZone();
    f.fill(plan.selector(), plan.baselineId(), plan.batch(), plan.concurrency(), plan.suspension(),
        plan.metadataRefresh());
    f.overlapPolicy = plan.overlapPolicy();
    f.paused = plan.paused();
    return f;
  }

  PlanSpec toSpec() {
    return new PlanSpec(blank(name) ? null : name.strip(), blank(cron) ? null : cron,
        blank(timeZone) ? null : timeZone.strip(), selector(), getBaselineId(), batch(), getConcurrency(), suspension(),
        getMetadataRefresh(), blank(overlapPolicy) ? null : overlapPolicy, paused);
  }

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public String getCron() {
    return cron;
  }

  public void setCron(String cron) {
    this.cron = cron;
  }

  public String getTimeZone() {
    return timeZone;
  }

  public void setTimeZone(String timeZone) {
    this.timeZone = timeZone;
  }

  public String getOverlapPolicy() {
    return overlapPolicy;
  }

  public void setOverlapPolicy(String overlapPolicy) {
    this.overlapPolicy = overlapPolicy;
  }

  public boolean isPaused() {
    return paused;
  }

  public void setPaused(boolean paused) {
    this.paused = paused;
  }
}
