package io.patchloop.api.security;

/**
 * The Prometheus endpoint's access: any API token whose role reads (VIEWER and up), or the scrape
 * token ({@code patchloop.metrics.scrape-token}), which opens this endpoint and nothing else.
 */
final class MetricsScrape {

  static final String ENDPOINT = "/actuator/prometheus";
  /** What the scrape token grants; no role, so no other rule lets it through. */
  static final String AUTHORITY = "METRICS_SCRAPE";
  /** The name the audit log and the logs give a scrape token's caller. */
  static final String CALLER = "metrics-scrape";

  private MetricsScrape() {}
}
