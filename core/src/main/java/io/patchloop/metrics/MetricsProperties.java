package io.patchloop.metrics;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The operators' metrics (README, "Metrics").
 *
 * @param scrapeToken a bearer token that opens /actuator/prometheus and nothing else, for a
 *     Prometheus server that should hold no API token; empty for none
 * @param refreshInterval how often the gauges read from the database (tickets, compliance, agents)
 *     are read again; a scrape reads the values of the last refresh and never the database
 */
@ConfigurationProperties("patchloop.metrics")
public record MetricsProperties(String scrapeToken, @DefaultValue("30s") Duration refreshInterval) {

  public MetricsProperties {
    scrapeToken = scrapeToken == null || scrapeToken.isBlank() ? null : scrapeToken.strip();
    if (refreshInterval.isNegative() || refreshInterval.isZero()) {
      throw new IllegalStateException("patchloop.metrics.refresh-interval must be positive: " + refreshInterval);
    }
  }

  public boolean hasScrapeToken() {
    return scrapeToken != null;
  }
}
