package io.patchloop.notifications;

import io.patchloop.baselines.ComplianceLevel;
import io.patchloop.common.JsonText;
import io.patchloop.compliance.ComplianceStatus;
import io.patchloop.reports.ReportStore;
import io.patchloop.tickets.TicketStore;
import io.patchloop.workflows.ticket.HostOutcome;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Writes the messages of an event: what happened, the counts, the worst hosts with a few of their
 * patches ("and N more"), and the API address of the details.
 */
@Component
public class MessageComposer {

  static final int WORST_HOSTS = 5;
  static final int PATCHES_PER_HOST = 3;

  private final String apiBaseUrl;

  public MessageComposer(@Value("${patchloop.notifications.api-base-url:http://127.0.0.1:8080}") String apiBaseUrl) {
    this.apiBaseUrl = apiBaseUrl.replaceAll("/+$", "");
  }

  /** One host as a message lists it. */
  public record HostLine(long hostId, String hostName, ComplianceLevel worstLevel, int nonCompliant,
      List<Map<String, String>> patches) {}

  public String ticketLink(String ticketId) {
    return apiBaseUrl + "/api/v1/tickets/" + ticketId;
  }

  /** Hosts with their non-compliant patches, worst first (most severe level, then most patches). */
  public static List<HostLine> worstHosts(List<ReportStore.TicketPatchRow> rows, ComplianceLevel atLeast,
      boolean onlyNewlyNonCompliant) {
    Map<Long, List<ReportStore.TicketPatchRow>> byHost = new LinkedHashMap<>();
    for (var r : rows) {
      if (onlyNewlyNonCompliant && ComplianceStatus.NON_COMPLIANT.name().equals(r.previousStatus())) {
        continue;
      }
      byHost.computeIfAbsent(r.hostId(), k -> new ArrayList<>()).add(r);
    }
    List<HostLine> lines = new ArrayList<>();
    byHost.forEach((id, patches) -> {
      ComplianceLevel worst = patches.stream().map(p -> p.complianceLevel() == null ? ComplianceLevel.UNSPECIFIED
          : ComplianceLevel.valueOf(p.complianceLevel())).min(Comparator.naturalOrder()).orElseThrow();
      if (atLeast != null && worst.ordinal() > atLeast.ordinal()) {
        return;
      }
      List<Map<String, String>> listed = patches.stream()
          .sorted(Comparator.comparing(p -> p.complianceLevel() == null ? ComplianceLevel.UNSPECIFIED
              : ComplianceLevel.valueOf(p.complianceLevel())))
          .map(p -> Map.of("advisoryId", p.advisoryId(), "state", p.state(),
              "complianceLevel", Objects.toString(p.complianceLevel(), "UNSPECIFIED")))
          .toList();
      lines.add(new HostLine(id, patches.get(0).hostName(), worst, patches.size(), listed));
    });
    lines.sort(Comparator.comparing(HostLine::worstLevel).thenComparing(HostLine::nonCompliant, Comparator.reverseOrder()));
    return lines;
  }

  public Message ticket(NotificationEvent event, TicketStore.TicketRow t, List<TicketStore.TicketHostRow> hosts,
      List<HostLine> worst, String headline) {
    String link = ticketLink(t.id());
    StringBuilder text = new StringBuilder();
    StringBuilder md = new StringBuilder("### " + headline + "\n");
    text.append(headline).append("\n\n");
    String counts = t.hostCount() + " hosts: " + t.succeeded() + " succeeded, " + t.failed() + " failed, " + t.notRun()
        + " not run";
    text.append("Ticket ").append(t.id()).append(" (").append(t.operation()).append(") ended ").append(t.status())
        .append(".\n").append(counts).append(".\n");
    md.append("Ticket `").append(t.id()).append("` (").append(t.operation()).append(") ended **").append(t.status())
        .append("**\n> ").append(counts).append("\n");
    if (!worst.isEmpty()) {
      text.append("\nWorst hosts:\n");
      md.append("\n**Worst hosts**\n");
      for (HostLine h : worst.subList(0, Math.min(WORST_HOSTS, worst.size()))) {
        String patches = String.join(", ", h.patches().stream().limit(PATCHES_PER_HOST)
            .map(p -> p.get("advisoryId") + " (" + p.get("state") + ", " + p.get("complianceLevel") + ")").toList())
            + (h.nonCompliant() > PATCHES_PER_HOST ? " and " + (h.nonCompliant() - PATCHES_PER_HOST) + " more" : "");
        text.append("- ").append(h.hostName()).append(": ").append(h.nonCompliant()).append(" non-compliant patch(es), worst ")
            .append(h.worstLevel()).append(": ").append(patches).append('\n');
        md.append("- ").append(h.hostName()).append(" (").append(h.worstLevel()).append("): ").append(patches).append('\n');
      }
      if (worst.size() > WORST_HOSTS) {
        text.append("and ").append(worst.size() - WORST_HOSTS).append(" more hosts\n");
        md.append("and ").append(worst.size() - WORST_HOSTS).append(" more hosts\n");
      }
    }
    List<TicketStore.TicketHostRow> failed = hosts.stream().filter(h -> HostOutcome.State.FAILED.name().equals(h.state())).toList();
    if (!failed.isEmpty()) {
      text.append("\nFailed hosts:\n");
      md.append("\n**Failed hosts**\n");
      for (var h : failed.subList(0, Math.min(WORST_HOSTS, failed.size()))) {
        String why = h.errorKind() + (h.errorMessage() == null ? "" : ": " + abbreviate(h.errorMessage(), 160));
        text.append("- ").append(h.hostName()).append(": ").append(why).append('\n');
        md.append("- ").append(h.hostName()).append(": ").append(why).append('\n');
      }
      if (failed.size() > WORST_HOSTS) {
        text.append("and ").append(failed.size() - WORST_HOSTS).append(" more\n");
      }
    }
    text.append("\nDetails: ").append(link).append('\n');
    md.append("\n[Details](").append(link).append(")");
    Map<String, Object> payload = new LinkedHashMap<>();
    payload.put("event", event.name());
    payload.put("ticket", ticketJson(t));
    payload.put("worstHosts", worst.subList(0, Math.min(WORST_HOSTS, worst.size())));
    payload.put("moreHosts", Math.max(0, worst.size() - WORST_HOSTS));
    payload.put("link", link);
    return new Message(event, headline, text.toString(), md.toString(), json(payload));
  }

  public Map<String, Object> ticketJson(TicketStore.TicketRow t) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", t.id());
    m.put("operation", t.operation().name());
    m.put("status", t.status().name());
    m.put("hostCount", t.hostCount());
    m.put("succeeded", t.succeeded());
    m.put("failed", t.failed());
    m.put("notRun", t.notRun());
    m.put("startedAt", t.startedAt());
    m.put("finishedAt", t.finishedAt());
    if (t.endReason() != null) {
      m.put("endReason", t.endReason());
    }
    m.put("planId", t.planId());
    return m;
  }

  public Message planRunSkipped(long planId, String planName, Instant fireTime, String reason) {
    String link = apiBaseUrl + "/api/v1/inspection-plans/" + planId + "/runs";
    String headline = "Plan " + planName + ": the run of " + fireTime + " was skipped";
    String text = headline + ".\n" + reason + ".\n\nDetails: " + link + "\n";
    String md = "### " + headline + "\n> " + reason + "\n\n[Details](" + link + ")";
    Map<String, Object> payload = new LinkedHashMap<>();
    payload.put("event", NotificationEvent.PLAN_RUN_SKIPPED.name());
    payload.put("plan", Map.of("id", planId, "name", planName));
    payload.put("fireTime", fireTime);
    payload.put("reason", reason);
    payload.put("link", link);
    return new Message(NotificationEvent.PLAN_RUN_SKIPPED, headline, text, md, json(payload));
  }

  /**
   * What became of a ticket bound to a maintenance window: "Ticket repair-...: waiting for maintenance
   * window sunday-night (opens at ...)".
   *
   * @param phase STARTED, WAITING, RESUMED or ENDED
   * @param at when it happened; for WAITING, when the window opens
   */
  public Message window(TicketStore.TicketRow t, String windowName, String phase, Instant at) {
    String link = ticketLink(t.id());
    String what = switch (phase) {
      case "STARTED" -> "started in maintenance window " + windowName;
      case "WAITING" -> "waiting for maintenance window " + windowName + ", which opens at " + at;
      case "RESUMED" -> "resumed: maintenance window " + windowName + " is open again";
      default -> "ended " + t.status() + " (maintenance window " + windowName + ")";
    };
    String headline = "Ticket " + t.id() + " " + what;
    String counts = t.hostCount() + " hosts: " + t.succeeded() + " succeeded, " + t.failed() + " failed, " + t.notRun()
        + " not run";
    String text = headline + ".\n" + counts + ".\n\nDetails: " + link + "\n";
    String md = "### " + headline + "\n> " + counts + "\n\n[Details](" + link + ")";
    Map<String, Object> payload = new LinkedHashMap<>();
    payload.put("event", NotificationEvent.MAINTENANCE_WINDOW.name());
    payload.put("phase", phase);
    payload.put("window", windowName);
    payload.put("at", at);
    payload.put("ticket", Map.of("id", t.id(), "operation", t.operation().name(), "status", t.status().name(),
        "hostCount", t.hostCount(), "succeeded", t.succeeded(), "failed", t.failed(), "notRun", t.notRun()));
    payload.put("link", link);
    return new Message(NotificationEvent.MAINTENANCE_WINDOW, headline, text, md, json(payload));
  }

  public Message test(String channelName) {
    String headline = "Test message for channel " + channelName;
    String text = headline + ".\nIf you read this, Patchloop can reach you here.\n";
    return new Message(null, headline, text, "### " + headline + "\nIf you read this, Patchloop can reach you here.",
        json(Map.of("event", "TEST", "channel", channelName, "sentAt", Instant.now().toString())));
  }

  static String json(Object value) {
    return JsonText.write(JsonText.WITH_TIMES, value);
  }

  private static String abbreviate(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max - 1) + "…";
  }
}
