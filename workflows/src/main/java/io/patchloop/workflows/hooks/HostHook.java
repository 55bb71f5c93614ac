package io.patchloop.workflows.hooks;

import java.util.regex.Pattern;

/**
 * One version of a registered hook script, copied into the ticket when it is created: a later edit
 * of the hook never changes what a running ticket runs, and a replay sees the same input.
 *
 * @param script the script as the admin stored it; run by {@code sh -c} on the host, with the phase
 *     ({@code pre} or {@code post}) as {@code $1} and the ticket id as {@code $2}
 * @param timeoutSeconds how long the script may run before it counts as failed
 */
public record HostHook(String name, int version, String script, int timeoutSeconds) {

  /** A hook's name: what tickets and plans refer to it by. */
  public static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
  public static final int MAX_SCRIPT_CHARS = 16 * 1024;
  /**
   * A script as it may reach a host's shell: text with tabs and Unix line ends, no other control
   * character (no NUL, no carriage return, no escape sequence), at most {@link #MAX_SCRIPT_CHARS}.
   * It goes to the host as one single-quoted argument of {@code sh -c}.
   */
  public static final Pattern SCRIPT = Pattern.compile("[^\\x00-\\x08\\x0b-\\x1f\\x7f]{1," + MAX_SCRIPT_CHARS + "}");
  /** The ticket id a script gets as {@code $2}: what ticket ids are made of. */
  public static final Pattern TICKET_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,63}");
  public static final int MIN_TIMEOUT_SECONDS = 1;
  public static final int MAX_TIMEOUT_SECONDS = 3600;
  public static final int DEFAULT_TIMEOUT_SECONDS = 300;

  /** "drain-node@3", as outcomes and messages name it. */
  public String label() {
    return name + "@" + version;
  }
}
