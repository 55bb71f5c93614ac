package io.patchloop.hosts;

import io.patchloop.common.InvalidInputException;
import io.patchloop.common.OsFamily;
import io.patchloop.common.Scenario;
import io.patchloop.inventory.SafeValues;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Filters of the host listing; every filter given must hold (AND), tags included.
 *
 * @param reportBaselineId hosts whose newest report was made under this baseline
 * @param missingAdvisory hosts whose newest report lists this advisory as not installed (MISSING or
 *     FAILED): the hosts a repair of it would reach
 */
public record HostQuery(Map<String, String> tags, OsFamily osFamily, Scenario scenario,
    Host.ComplianceStatus complianceStatus, Long reportBaselineId, String missingAdvisory) {

  public static final String NOT_AN_ADVISORY_ID = "is not an advisory id (letters, digits and . _ : + -, such as"
      + " HCE2-SA-2024-0042)";

  public HostQuery(Map<String, String> tags, OsFamily osFamily, Scenario scenario,
      Host.ComplianceStatus complianceStatus) {
    this(tags, osFamily, scenario, complianceStatus, null, null);
  }

  /** An advisory id as hosts report them: anything else can be in no report, so it is refused, not matched. */
  public static boolean isAdvisoryId(String id) {
    return id != null && SafeValues.ADVISORY_ID.matcher(id).matches();
  }

  /** Checks a {@code missingAdvisory} filter as it comes in a query string; null is no filter. */
  public static String advisoryFilter(String field, String id) {
    if (id != null && !isAdvisoryId(id)) {
      throw new InvalidInputException(field, NOT_AN_ADVISORY_ID);
    }
    return id;
  }

  /** Parses the console's one-field tag filter: {@code key:value} pairs with commas between; blank is none. */
  public static Map<String, String> parseTagList(String commaSeparated) {
    return parseTags(commaSeparated == null || commaSeparated.isBlank() ? null
        : List.of(commaSeparated.strip().split("\\s*,\\s*")));
  }

  /** Parses {@code key:value} (or {@code key=value}) tag filters as they come in a query string. */
  public static Map<String, String> parseTags(List<String> raw) {
    Map<String, String> tags = new LinkedHashMap<>();
    if (raw == null) {
      return tags;
    }
    for (String t : raw) {
      int sep = t.indexOf(':') >= 0 ? t.indexOf(':') : t.indexOf('=');
      if (sep <= 0 || sep == t.length() - 1) {
        throw new InvalidInputException("tag", "must be key:value, for example zone:az1");
      }
      String key = t.substring(0, sep);
      String value = t.substring(sep + 1);
      if (!HostSpec.TAG_KEY.matcher(key).matches() || !HostSpec.TAG_VALUE.matcher(value).matches()) {
        throw new InvalidInputException("tag", "key or value has characters a tag cannot have");
      }
      tags.put(key, value);
    }
    return tags;
  }
}
