package io.patchloop.inventory;

import io.patchloop.baselines.PatchCategory;
import io.patchloop.baselines.PatchSeverity;
import java.time.Instant;
import java.util.List;

/**
 * A patch: one advisory of the repositories' updateinfo.xml.
 *
 * @param type the type as the repository wrote it (security, bugfix, ...)
 * @param category the type as Patchloop knows it; null when the type is unknown ("unspecified"), which only "ALL" matches
 * @param severity NONE when missing or unknown
 * @param issued null when the repository gives no usable date; a date alone means 00:00 UTC
 */
public record Advisory(
    String id,
    String title,
    String type,
    PatchCategory category,
    PatchSeverity severity,
    Instant issued,
    List<AdvisoryPackage> packages,
    List<String> cves,
    boolean rebootSuggested) {}
