package io.patchloop.fleet;

import io.patchloop.baselines.PatchCategory;
import io.patchloop.baselines.PatchSeverity;
import io.patchloop.common.InvalidInputException;
import io.patchloop.common.OsFamily;
import io.patchloop.compliance.PatchState;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Filters of the CVE and advisory views; every filter given must hold.
 *
 * @param text part of the CVE or advisory id, any case
 * @param severity the CVE's (its most severe advisory's) or the advisory's severity
 * @param category advisories only: SECURITY, BUGFIX, ...
 * @param state subjects with at least one host in this state; in one subject's view, its hosts in this state
 * @param osFamily hosts whose report was made while the host had this OS family
 * @param tags hosts carrying every one of these tags now
 */
public record FleetViewQuery(String text, PatchSeverity severity, PatchCategory category, PatchState state,
    OsFamily osFamily, Map<String, String> tags) {

  /** What a CVE or advisory id may contain; the search text too, so nothing else reaches a LIKE. */
  private static final Pattern TEXT = Pattern.compile("[A-Za-z0-9._:+-]{1,128}");

  public FleetViewQuery {
    tags = tags == null ? Map.of() : Map.copyOf(tags);
    if (text != null && text.isBlank()) {
      text = null;
    }
    if (text != null && !TEXT.matcher(text).matches()) {
      throw new InvalidInputException("text", "must be 1-128 letters, digits or . _ : + - (part of an id)");
    }
  }

  public static FleetViewQuery all() {
    return new FleetViewQuery(null, null, null, null, null, Map.of());
  }

  public FleetViewQuery withState(PatchState s) {
    return new FleetViewQuery(text, severity, category, s, osFamily, tags);
  }

  boolean matchesText(String id) {
    return text == null || id.toUpperCase(java.util.Locale.ROOT).contains(text.toUpperCase(java.util.Locale.ROOT));
  }
}
