package io.patchloop.windows;

import io.patchloop.common.CronSchedule;
import io.patchloop.common.Problems;
import io.patchloop.hosts.Host;
import io.patchloop.hosts.HostSpec;
import io.patchloop.tickets.TicketSpec;
import io.patchloop.workflows.window.MaintenanceWindow;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A maintenance window as an admin writes it: "Sunday 02:00 Asia/Shanghai for 4 hours, for the
 * hosts tagged env:prod".
 *
 * @param cron when the window opens: five fields, e.g. {@code 0 2 * * SUN}
 * @param timeZone an IANA zone; UTC when left out
 * @param durationMinutes how long it stays open each time, 1 to 10,080 (a week)
 * @param onClose WAIT (the default): a ticket waits for the next opening; END: it ends, the hosts
 *     that did not start NOT_RUN
 * @param selector the hosts the window covers: {@code all: true}, or tags and/or an OS family; a
 *     ticket bound to the window may hold no other host
 */
public record MaintenanceWindowSpec(String name, String description, String cron, String timeZone,
    Integer durationMinutes, MaintenanceWindow.OnClose onClose, TicketSpec.Selector selector) {

  public static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
  public static final int MAX_DURATION_MINUTES = 7 * 24 * 60;

  public MaintenanceWindowSpec normalized() {
    return new MaintenanceWindowSpec(name, description, cron == null ? null : cron.trim(),
        timeZone == null ? "UTC" : timeZone, durationMinutes, onClose == null ? MaintenanceWindow.OnClose.WAIT : onClose,
        selector);
  }

  /** Checks the window as {@link #normalized()} gives it. */
  public Problems validate() {
    Problems problems = new Problems();
    problems.matches("name", name, NAME,
        "must be 1-64 lower-case letters, digits, '.', '_' or '-', starting with a letter or digit, such as sunday-night");
    if (description != null && description.length() > 255) {
      problems.add("description", "must be at most 255 characters");
    }
    CronSchedule.check(problems, cron, timeZone);
    if (problems.required("durationMinutes", durationMinutes)) {
      problems.range("durationMinutes", durationMinutes, 1, MAX_DURATION_MINUTES);
    }
    if (problems.required("selector", selector)) {
      boolean all = Boolean.TRUE.equals(selector.all());
      boolean narrowed = (selector.tags() != null && !selector.tags().isEmpty()) || selector.osFamily() != null;
      if (selector.complianceStatus() != null || selector.missingAdvisory() != null) {
        problems.add("selector", "a window covers hosts by tags and OS family, not by their reports");
      } else if (all == narrowed) {
        problems.add("selector", "give either all: true, or tags and/or osFamily");
      }
      if (selector.tags() != null) {
        selector.tags().forEach((k, v) -> {
          if (k == null || !HostSpec.TAG_KEY.matcher(k).matches() || v == null || v.isBlank()
              || v.length() > HostSpec.MAX_TAG_VALUE_LENGTH) {
            problems.add("selector.tags", "tag '" + HostSpec.abbreviate(String.valueOf(k)) + "' is not a valid key:value");
          }
        });
      }
    }
    return problems;
  }

  /** Whether the window covers the host: every tag it names, and its OS family when it names one. */
  public static boolean covers(TicketSpec.Selector selector, Host host) {
    if (Boolean.TRUE.equals(selector.all())) {
      return true;
    }
    if (selector.osFamily() != null && selector.osFamily() != host.osFamily()) {
      return false;
    }
    Map<String, String> tags = selector.tags() == null ? Map.of() : selector.tags();
    return tags.entrySet().stream().allMatch(e -> e.getValue().equals(host.tags().get(e.getKey())));
  }
}
