package io.patchloop.workflows.hooks;

/**
 * How a hook script ended on a host. A non-zero exit or a timeout is a result, not a failed step:
 * the host pipeline decides what it means (the host fails PRE_HOOK_FAILED or POST_HOOK_FAILED).
 *
 * @param exitStatus the script's exit status; -1 when it timed out
 * @param output the end of what it printed (stdout, then stderr), at most {@link #MAX_OUTPUT_CHARS}
 */
public record HookResult(int exitStatus, boolean timedOut, String output, long durationMillis) {

  /** Output kept per hook run: enough for a health check's verdict, small enough for every outcome. */
  public static final int MAX_OUTPUT_CHARS = 2000;

  public boolean succeeded() {
    return exitStatus == 0 && !timedOut;
  }

  /** "exited 0 in 1.2 s" or "timed out after 30 s". */
  public String describe(int timeoutSeconds) {
    if (timedOut) {
      return "timed out after " + timeoutSeconds + " s";
    }
    return "exited " + exitStatus + " in " + String.format(java.util.Locale.ROOT, "%.1f s", durationMillis / 1000.0);
  }
}
