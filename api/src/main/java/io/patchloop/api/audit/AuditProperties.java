package io.patchloop.api.audit;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * @param retentionDays audit rows older than this many days are deleted
 * @param cleanupInterval how often the API looks for such rows
 * @param cleanupBatch how many rows one DELETE removes at most, so a large backlog never holds long locks
 */
@ConfigurationProperties("patchloop.audit")
public record AuditProperties(Integer retentionDays, Duration cleanupInterval, Integer cleanupBatch) {

  public AuditProperties {
    retentionDays = retentionDays == null ? 400 : retentionDays;
    cleanupInterval = cleanupInterval == null ? Duration.ofHours(1) : cleanupInterval;
    cleanupBatch = cleanupBatch == null ? 1000 : cleanupBatch;
    if (retentionDays < 1) {
      throw new IllegalStateException("patchloop.audit.retention-days must be 1 or more, not " + retentionDays);
    }
    if (cleanupBatch < 1) {
      throw new IllegalStateException("patchloop.audit.cleanup-batch must be 1 or more, not " + cleanupBatch);
    }
  }
}
