package io.patchloop.console;

import io.patchloop.common.OsFamily;
import io.patchloop.hosts.Host;
import io.patchloop.tickets.TicketSpec;
import io.patchloop.workflows.scan.MetadataRefresh;
import io.patchloop.workflows.ticket.BatchSpec;
import io.patchloop.workflows.ticket.SuspensionSpec;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What a ticket and an inspection plan both choose, as flat form fields: which hosts (a selector),
 * the baseline, and how the run goes (batches, concurrency, suspension, metadata refresh). Turned into the API's
 * own parts, which the API's services check; what is left empty is left out, as in the API.
 */
public abstract class HostRunForm {

  /** The API's name of each field here that is not its own, for errors Spring finds before the API does. */
  static final Map<String, String> API_PATHS = Map.ofEntries(
      Map.entry("allHosts", "selector.all"), Map.entry("tags", "selector.tags"),
      Map.entry("osFamily", "selector.osFamily"), Map.entry("complianceStatus", "selector.complianceStatus"),
      Map.entry("missingAdvisory", "selector.missingAdvisory"),
      Map.entry("batchStrategy", "batch.strategy"), Map.entry("batchSize", "batch.size"),
      Map.entry("batchPercent", "batch.percent"), Map.entry("batchTagKey", "batch.tagKey"),
      Map.entry("maxFailures", "suspension.maxFailures"), Map.entry("maxFailurePercent", "suspension.maxFailurePercent"));

  private boolean allHosts;
  /** {@code key:value} filters, comma between. */
  private String tags;
  private OsFamily osFamily;
  private Host.ComplianceStatus complianceStatus;
  /** An advisory id: hosts whose newest report lists it as missing or failed (the advisory page links a repair so). */
  private String missingAdvisory;
  private Long baselineId;
  private Integer concurrency = TicketSpec.DEFAULT_CONCURRENCY;
  private BatchSpec.Strategy batchStrategy = BatchSpec.Strategy.NONE;
  /** FIXED: hosts per batch. A size typed with the strategy left at "one batch" means FIXED. */
  private Integer batchSize;
  /** PERCENT: share of all hosts per batch; AUTO: the largest share of a tag group per batch. */
  private Integer batchPercent;
  /** AUTO: the tag whose groups are never all in one batch. */
  private String batchTagKey;
  private Integer maxFailures;
  private Integer maxFailurePercent;
  private MetadataRefresh metadataRefresh = MetadataRefresh.AUTO;

  /** The selector as the fields give it, every field empty included (a plan needs one; the API says what it lacks). */
  TicketSpec.Selector selector() {
    return new TicketSpec.Selector(parseTags(tags), osFamily, allHosts ? Boolean.TRUE : null, complianceStatus,
        blank(missingAdvisory) ? null : missingAdvisory.strip());
  }

  /** True when any selector field is filled in. */
  boolean hasSelector() {
    return allHosts || !blank(tags) || osFamily != null || complianceStatus != null || !blank(missingAdvisory);
  }

  /** Only the fields the chosen strategy uses; null for one batch. */
  BatchSpec batch() {
    BatchSpec.Strategy strategy = batchStrategy == null ? BatchSpec.Strategy.NONE : batchStrategy;
    if (strategy == BatchSpec.Strategy.NONE && batchSize != null) {
      strategy = BatchSpec.Strategy.FIXED;
    }
    return switch (strategy) {
      case NONE -> null;
      case FIXED -> new BatchSpec(strategy, batchSize, null, null);
      case PERCENT -> new BatchSpec(strategy, null, batchPercent, null);
      case AUTO -> new BatchSpec(strategy, null, batchPercent, blank(batchTagKey) ? null : batchTagKey.strip());
    };
  }

  /** Null for never. */
  SuspensionSpec suspension() {
    return maxFailures == null && maxFailurePercent == null ? null : new SuspensionSpec(maxFailures, maxFailurePercent);
  }

  /** The fields as a stored ticket or plan had them, for its edit form. */
  void fill(TicketSpec.Selector selector, Long baseline, BatchSpec batch, Integer hostsAtOnce, SuspensionSpec threshold,
      MetadataRefresh refresh) {
    if (selector != null) {
      allHosts = Boolean.TRUE.equals(selector.all());
      tags = selector.tags() == null ? null
          : selector.tags().entrySet().stream().map(e -> e.getKey() + ":" + e.getValue()).collect(Collectors.joining(", "));
      osFamily = selector.osFamily();
      complianceStatus = selector.complianceStatus();
      missingAdvisory = selector.missingAdvisory();
    }
    baselineId = baseline;
    if (batch != null) {
      batchStrategy = batch.strategy();
      batchSize = batch.size();
      batchPercent = batch.percent();
      batchTagKey = batch.tagKey();
    }
    concurrency = hostsAtOnce;
    if (threshold != null) {
      maxFailures = threshold.maxFailures();
      maxFailurePercent = threshold.maxFailurePercent();
    }
    metadataRefresh = MetadataRefresh.orDefault(refresh);
  }

  /**
   * {@code zone:az1, app:shop} as the selector's tags; an entry without a colon is passed on with no
   * value, for the API to refuse by its name ({@code selector.tags.<key>}).
   */
  static Map<String, String> parseTags(String text) {
    if (blank(text)) {
      return null;
    }
    Map<String, String> parsed = new LinkedHashMap<>();
    for (String entry : text.strip().split("\\s*,\\s*")) {
      if (entry.isEmpty()) {
        continue;
      }
      int colon = entry.indexOf(':');
      if (colon < 0) {
        parsed.put(entry, null);
      } else {
        parsed.put(entry.substring(0, colon).strip(), entry.substring(colon + 1).strip());
      }
    }
    return parsed.isEmpty() ? null : parsed;
  }

  static boolean blank(String s) {
    return s == null || s.isBlank();
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

  public String getMissingAdvisory() {
    return missingAdvisory;
  }

  public void setMissingAdvisory(String missingAdvisory) {
    this.missingAdvisory = missingAdvisory;
  }

  public Long getBaselineId() {
    return baselineId;
  }

  public void setBaselineId(Long baselineId) {
    this.baselineId = baselineId;
  }

  public Integer getConcurrency() {
    return concurrency;
  }

  public void setConcurrency(Integer concurrency) {
    this.concurrency = concurrency;
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

  public MetadataRefresh getMetadataRefresh() {
    return metadataRefresh;
  }

  public void setMetadataRefresh(MetadataRefresh metadataRefresh) {
    this.metadataRefresh = metadataRefresh;
  }
}
