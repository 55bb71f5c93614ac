package io.patchloop.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gauges whose values are counts in the database (tickets by status, hosts by compliance status,
 * agents by state). One background thread reads every family once per refresh interval; a scrape
 * reads only the values kept from the last refresh, so a storm of scrapes never becomes a storm of
 * queries and a scrape answers while the database is away. A failed refresh keeps the last values
 * and counts {@code patchloop_metrics_refresh_failures_total{gauge}}.
 *
 * <p>A tag set seen once stays, at 0 when its rows are gone: a status that empties reads 0 rather
 * than vanishing from the dashboard. The tags are closed sets (statuses, operations, baselines), so
 * the series stay few.
 */
public final class DatabaseGauges implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(DatabaseGauges.class);

  /** One gauge name and the query that counts its rows by tags. */
  public record Family(String name, String description, Supplier<Map<Tags, Long>> query) {}

  private final MeterRegistry registry;
  private final Duration interval;
  private final List<Family> families = new CopyOnWriteArrayList<>();
  private final Map<String, Map<Tags, Long>> values = new ConcurrentHashMap<>();
  private final ScheduledExecutorService refresher;

  public DatabaseGauges(MeterRegistry registry, Duration interval) {
    this.registry = registry;
    this.interval = interval;
    this.refresher = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "patchloop-metrics-refresh");
      t.setDaemon(true);
      return t;
    });
  }

  /** Adds a family; its first values come with the next refresh. */
  public void register(Family family) {
    values.put(family.name(), new ConcurrentHashMap<>());
    failures(family); // at 0 from the start, so a rate over it has a beginning
    families.add(family);
  }

  /** Refreshes now and then once per interval, on the background thread; nothing when no family was registered (a worker alone). */
  public void start() {
    if (!families.isEmpty()) {
      refresher.scheduleWithFixedDelay(this::refreshNow, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  /** Reads every family once; a family whose query fails keeps its last values. */
  public void refreshNow() {
    for (Family family : families) {
      try {
        Map<Tags, Long> counted = family.query().get();
        Map<Tags, Long> kept = values.get(family.name());
        for (Tags tags : kept.keySet()) {
          kept.put(tags, counted.getOrDefault(tags, 0L));
        }
        counted.forEach((tags, count) -> {
          if (kept.put(tags, count) == null) {
            Gauge.builder(family.name(), kept, k -> k.getOrDefault(tags, 0L))
                .description(family.description()).tags(tags).register(registry);
          }
        });
      } catch (RuntimeException e) {
        failures(family).increment();
        log.warn("metrics: {} not refreshed, keeping the last values: {}", family.name(), e.toString());
      }
    }
  }

  private Counter failures(Family family) {
    return Counter.builder("patchloop.metrics.refresh.failures")
        .description("refreshes of a database gauge that failed; the gauge kept its last values")
        .tag("gauge", family.name()).register(registry);
  }

  @Override
  public void close() {
    refresher.shutdownNow();
  }
}
