package io.patchloop.console;

import io.patchloop.common.OsFamily;
import io.patchloop.hosts.Host;
import io.patchloop.plans.InspectionPlan;
import io.patchloop.plans.PlanSpec;
import io.patchloop.tickets.TicketSpec;
import io.patchloop.workflows.plan.PlanSchedule;
import io.patchloop.workflows.ticket.BatchSpec;
import io.patchloop.workflows.ticket.SuspensionSpec;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The console's inspection plan form: every field of the API's {@link PlanSpec}, flat, turned into
 * one that {@code PlanService} checks exactly as it checks the API's. What is left empty is left
 * out, as in the API (no time zone: UTC; no batch: one batch; no threshold: never suspend).
 */
public class PlanForm {

  /** The API's name of each form property that is not its own, for binding errors. */
  static final Map<String, String> API_PATHS = Map.ofEntries(
      Map.entry("allHosts", "selector.all"), Map.entry("tags", "selector.tags"),
      Map.entry("osFamily", "selector.osFamily"), Map.entry("complianceStatus", "selector.complianceStatus"),
      Map.entry("batchStrategy", "batch.strategy"), Map.entry("batchSize", "batch.size"),
      Map.entry("batchPercent", "batch.percent"), Map.entry("batchTagKey", "batch.tagKey"),
      Map.entry("maxFailures", "suspension.maxFailures"), Map.entry("maxFailurePercent", "suspension.maxFailurePercent"));

  private String name;
  private String cron = "0 2 * * *";
  private String timeZone = "UTC";
  private boolean allHosts;
  /** {@code key:value} filters, comma between. */
  private String tags;
  private OsFamily osFamily;
  private Host.ComplianceStatus complianceStatus;
  private Long baselineId;
  private BatchSpec.Strategy batchStrategy = BatchSpec.Strategy.NONE;
  private Integer batchSize;
  private Integer batchPercent;
  private String batchTagKey;
  private Integer concurrency = TicketSpec.DEFAULT_CONCURRENCY;
  private Integer maxFailures;
  private Integer maxFailurePercent;
  private String overlapPolicy = PlanSchedule.SKIP;
  private boolean paused;

  static PlanForm of(InspectionPlan plan) {
    PlanForm f = new PlanForm();
    f.name = plan.name();
    f.cron = plan.cron();
    f.timeZone = plan.timeZone();
    TicketSpec.Selector s = plan.selector();
    if (s != null) {
      f.allHosts = Boolean.TRUE.equals(s.all());
      f.tags = s.tags() == null ? null
          : s.tags().entrySet().stream().map(e -> e.getKey() + ":" + e.getValue()).collect(Collectors.joining(", "));
      f.osFamily = s.osFamily();
      f.complianceStatus = s.complianceStatus();
    }
    f.baselineId = plan.baselineId();
    if (plan.batch() != null) {
      f.batchStrategy = plan.batch().strategy();
      f.batchSize = plan.batch().size();
      f.batchPercent = plan.batch().percent();
      f.batchTagKey = plan.batch().tagKey();
    }
    f.concurrency = plan.concurrency();
    if (plan.suspension() != null) {
      f.maxFailures = plan.suspension().maxFailures();
      f.maxFailurePercent = plan.suspension().maxFailurePercent();
    }
    f.overlapPolicy = plan.overlapPolicy();
    f.paused = plan.paused();
    return f;
  }

  PlanSpec toSpec() {
    TicketSpec.Selector selector = new TicketSpec.Selector(parseTags(tags), osFamily, allHosts ? Boolean.TRUE : null,
        complianceStatus);
    BatchSpec batch = batchStrategy == null || batchStrategy == BatchSpec.Strategy.NONE && batchSize == null
        && batchPercent == null && blank(batchTagKey)
        ? null : new BatchSpec(batchStrategy, batchSize, batchPercent, blank(batchTagKey) ? null : batchTagKey.strip());
    SuspensionSpec suspension = maxFailures == null && maxFailurePercent == null ? null
        : new SuspensionSpec(maxFailures, maxFailurePercent);
    return new PlanSpec(blank(name) ? null : name.strip(), blank(cron) ? null : cron, blank(timeZone) ? null : timeZone.strip(),
        selector, baselineId, batch, concurrency, suspension, blank(overlapPolicy) ? null : overlapPolicy, paused);
  }

  /** {@code zone:az1, app:shop} as the selector's tags; an entry without a colon is passed on for the API to refuse. */
  static Map<String, String> parseTags(String text) {
    if (blank(text)) {
      return null;
    }
    Map<String, String> tags = new LinkedHashMap<>();
    for (String entry : text.strip().split("\\s*,\\s*")) {
      if (entry.isEmpty()) {
        continue;
      }
      int colon = entry.indexOf(':');
      if (colon < 0) {
        tags.put(entry, null);
      } else {
        tags.put(entry.substring(0, colon).strip(), entry.substring(colon + 1).strip());
      }
    }
    return tags.isEmpty() ? null : tags;
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
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

  public boolean isAllHosts() {
    return allHosts;
  }

  public void setAllHosts(boolean allHosts) {
    this.allHosts = allHosts;
  }

  public String getTags() {
    return tags;
  }

  public void setTags(String tags) {
    this.tags = tags;
  }

  public OsFamily getOsFamily() {
    return osFamily;
  }

  public void setOsFamily(OsFamily osFamily) {
    this.osFamily = osFamily;
  }

  public Host.ComplianceStatus getComplianceStatus() {
    return complianceStatus;
  }

  public void setComplianceStatus(Host.ComplianceStatus complianceStatus) {
    this.complianceStatus = complianceStatus;
  }

  public Long getBaselineId() {
    return baselineId;
  }

  public void setBaselineId(Long baselineId) {
    this.baselineId = baselineId;
  }

  public BatchSpec.Strategy getBatchStrategy() {
    return batchStrategy;
  }

  public void setBatchStrategy(BatchSpec.Strategy batchStrategy) {
    this.batchStrategy = batchStrategy;
  }

  public Integer getBatchSize() {
    return batchSize;
  }

  public void setBatchSize(Integer batchSize) {
    this.batchSize = batchSize;
  }

  public Integer getBatchPercent() {
    return batchPercent;
  }

  public void setBatchPercent(Integer batchPercent) {
    this.batchPercent = batchPercent;
  }

  public String getBatchTagKey() {
    return batchTagKey;
  }

  public void setBatchTagKey(String batchTagKey) {
    this.batchTagKey = batchTagKey;
  }

  public Integer getConcurrency() {
    return concurrency;
  }

  public void setConcurrency(Integer concurrency) {
    this.concurrency = concurrency;
  }

  public Integer getMaxFailures() {
    return maxFailures;
  }

  public void setMaxFailures(Integer maxFailures) {
    this.maxFailures = maxFailures;
  }

  public Integer getMaxFailurePercent() {
    return maxFailurePercent;
  }

  public void setMaxFailurePercent(Integer maxFailurePercent) {
    this.maxFailurePercent = maxFailurePercent;
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
