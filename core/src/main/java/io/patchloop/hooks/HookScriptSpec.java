package io.patchloop.hooks;

import io.patchloop.common.Problems;
import io.patchloop.workflows.hooks.HostHook;

/**
 * A hook script as an admin stores it: a new hook, or the next version of one.
 *
 * @param script run by {@code sh -c} on each host of a repair ticket that names the hook, with the
 *     phase ({@code pre} or {@code post}) as {@code $1} and the ticket id as {@code $2}
 * @param timeoutSeconds how long it may run before the host fails (300 when left out)
 */
public record HookScriptSpec(String name, String description, String script, Integer timeoutSeconds) {

  public static final int MAX_DESCRIPTION_LENGTH = 255;

  public int timeoutSecondsOrDefault() {
    return timeoutSeconds == null ? HostHook.DEFAULT_TIMEOUT_SECONDS : timeoutSeconds;
  }

  /** @param nameFromPath the name the path gives (a new version), or null when the body names the hook */
  public Problems validate(String nameFromPath) {
    Problems problems = new Problems();
    if (nameFromPath == null) {
      problems.matches("name", name, HostHook.NAME, NAME_RULE);
    } else if (name != null && !name.equals(nameFromPath)) {
      problems.add("name", "must be left out or be '" + nameFromPath + "', the hook this is a new version of");
    }
    if (description != null && description.length() > MAX_DESCRIPTION_LENGTH) {
      problems.add("description", "must be at most " + MAX_DESCRIPTION_LENGTH + " characters");
    }
    if (problems.required("script", script)) {
      if (script.length() > HostHook.MAX_SCRIPT_CHARS) {
        problems.add("script", "must be at most " + HostHook.MAX_SCRIPT_CHARS + " characters (" + script.length()
            + " given)");
      } else if (!HostHook.SCRIPT.matcher(script).matches()) {
        problems.add("script", unsafe(script));
      }
    }
    problems.range("timeoutSeconds", timeoutSeconds, HostHook.MIN_TIMEOUT_SECONDS, HostHook.MAX_TIMEOUT_SECONDS);
    return problems;
  }

  public static final String NAME_RULE =
      "must be 1-64 lower-case letters, digits, '.', '_' or '-', starting with a letter or digit, such as drain-node";

  /** Where the first character a shell should not get is, and which one. */
  private static String unsafe(String script) {
    for (int i = 0; i < script.length(); i++) {
      char c = script.charAt(i);
      if (c == '\r') {
        int line = (int) script.substring(0, i).chars().filter(ch -> ch == '\n').count() + 1;
        return "has a carriage return on line " + line + ": save the script with Unix line ends (LF)";
      }
      if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7f) {
        int line = (int) script.substring(0, i).chars().filter(ch -> ch == '\n').count() + 1;
        return String.format("has the control character U+%04X on line %d; only text, tabs and line ends may reach"
            + " a host's shell", (int) c, line);
      }
    }
    return "is not plain text";
  }
}
