package io.patchloop.reports;

import io.patchloop.hosts.HostSpec;
import java.time.LocalTime;
import java.util.HashSet;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The daily compliance snapshot (compliance over time). Checked when the application starts: a bad
 * value stops it with a message naming the property.
 *
 * @param time the time of day, in UTC, the worker takes the snapshot of that UTC day (HH:mm)
 * @param tagKeys the tag keys whose values the snapshot also groups by (besides all hosts and OS
 *     family); a series by a tag key exists only for the days it was configured
 * @param retentionDays snapshots older than this many days are deleted after each snapshot
 */
@ConfigurationProperties("patchloop.history")
public record ComplianceHistoryProperties(
    @DefaultValue("01:00") LocalTime time,
    @DefaultValue List<String> tagKeys,
    @DefaultValue("400") int retentionDays) {

  /** More tag keys make every snapshot a query pair more; a dozen is plenty for a dashboard. */
  public static final int MAX_TAG_KEYS = 20;

  public ComplianceHistoryProperties {
    if (time == null) {
      time = LocalTime.of(1, 0);
    }
    tagKeys = tagKeys == null ? List.of() : List.copyOf(tagKeys);
    if (tagKeys.size() > MAX_TAG_KEYS) {
      throw new IllegalArgumentException("patchloop.history.tag-keys: at most " + MAX_TAG_KEYS + " tag keys, got "
          + tagKeys.size());
    }
    for (String key : tagKeys) {
      if (key == null || !HostSpec.TAG_KEY.matcher(key).matches()) {
        throw new IllegalArgumentException("patchloop.history.tag-keys: '" + key
            + "' is not a tag key (1-64 letters, digits or ._/- starting with a letter or digit)");
      }
    }
    if (new HashSet<>(tagKeys).size() != tagKeys.size()) {
      throw new IllegalArgumentException("patchloop.history.tag-keys: " + tagKeys + " names a key twice");
    }
    if (retentionDays < 1 || retentionDays > 3650) {
      throw new IllegalArgumentException("patchloop.history.retention-days: must be 1-3650 days, got " + retentionDays);
    }
  }
}
