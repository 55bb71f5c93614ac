package io.patchloop.console;

import io.patchloop.compliance.PatchState;
import io.patchloop.workflows.scan.MetadataRefresh;
import org.springframework.stereotype.Component;

/** The words pages use for the domain's states; templates call it as {@code @consoleWords}. */
@Component("consoleWords")
public class ConsoleWords {

  /** COC's six patch states, as its console names them. */
  public String patchState(PatchState state) {
    if (state == null) {
      return "";
    }
    return switch (state) {
      case INSTALLED -> "Installed";
      case INSTALLED_OTHER -> "Installed (not in the baseline)";
      case INSTALLED_PENDING_REBOOT -> "Installed, restart pending";
      case INSTALLED_REJECTED -> "Installed, but rejected";
      case MISSING -> "Missing (to be repaired)";
      case FAILED -> "Repair failed";
    };
  }

  /** A host's or report's compliance status by its name (hosts, reports and tickets each have their own enum). */
  public String compliance(Object status) {
    if (status == null) {
      return "";
    }
    return switch (status.toString()) {
      case "COMPLIANT" -> "Compliant";
      case "NON_COMPLIANT" -> "Non-compliant";
      case "UNKNOWN" -> "Never scanned";
      default -> status.toString();
    };
  }

  /** A metadata refresh setting, enum or name; none given is the default, AUTO. */
  public String metadataRefresh(Object refresh) {
    String name = refresh == null ? MetadataRefresh.AUTO.name() : refresh.toString();
    return switch (name) {
      case "AUTO" -> "Only expired repository caches (AUTO)";
      case "ALWAYS" -> "Every repository on every scan (ALWAYS)";
      case "NEVER" -> "Never: the cache as it is (NEVER)";
      default -> name;
    };
  }

  /** A CSS class for a status, so colour goes with the word (never instead of it). */
  public String tone(Object status) {
    if (status == null) {
      return "tone-none";
    }
    return switch (status.toString()) {
      case "COMPLIANT", "SUCCEEDED", "COMPLETED", "INSTALLED", "INSTALLED_OTHER" -> "tone-good";
      case "NON_COMPLIANT", "FAILED", "ABNORMAL", "MISSING", "INSTALLED_REJECTED", "INSTALLED_PENDING_REBOOT" -> "tone-bad";
      case "RUNNING", "PAUSED", "WAITING", "CREATED", "SCHEDULED", "PENDING" -> "tone-busy";
      default -> "tone-none";
    };
  }
}
