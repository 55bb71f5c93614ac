package io.patchloop.api.audit;

import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Deletes audit rows older than {@code patchloop.audit.retention-days}, a batch at a time. It runs in
 * the API process (and the standalone one, which contains the API), never in a worker: the API owns
 * the audit log. Several API replicas running it at once only delete the same old rows sooner.
 */
@Component
public class AuditRetention {

  private static final Logger log = LoggerFactory.getLogger(AuditRetention.class);

  private final AuditEventStore store;
  private final AuditProperties properties;
  private final Clock clock;

  AuditRetention(AuditEventStore store, AuditProperties properties, Clock clock) {
    this.store = store;
    this.properties = properties;
    this.clock = clock;
  }

  @Scheduled(initialDelayString = "${patchloop.audit.cleanup-initial-delay:5m}",
      fixedDelayString = "${patchloop.audit.cleanup-interval:1h}")
  void scheduled() {
    try {
      purge();
    } catch (RuntimeException e) {
      log.warn("audit retention: cleanup failed, tried again in {}", properties.cleanupInterval(), e);
    }
  }

  /** Deletes every row older than the retention; the number deleted. */
  public long purge() {
    var cutoff = clock.instant().minus(Duration.ofDays(properties.retentionDays()));
    long total = 0;
    int deleted;
    do {
      deleted = store.deleteOlderThan(cutoff, properties.cleanupBatch());
      total += deleted;
    } while (deleted == properties.cleanupBatch());
    if (total > 0) {
      log.info("audit retention: deleted {} audit event(s) from before {}", total, cutoff);
    }
    return total;
  }

  /** The API's own periodic jobs (this one); the worker has its own (WorkerScheduling). */
  @Configuration(proxyBeanMethods = false)
  @EnableScheduling
  static class ApiScheduling {}
}
