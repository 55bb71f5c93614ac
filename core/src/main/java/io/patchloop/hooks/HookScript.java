package io.patchloop.hooks;

import io.patchloop.workflows.hooks.HostHook;
import java.time.Instant;
import java.util.List;

/**
 * One stored version of a hook script, as the API shows it.
 *
 * @param versions every version the hook has, oldest first (in listings and single reads of the newest)
 */
public record HookScript(long id, String name, int version, String description, String script, int timeoutSeconds,
    String sha256, String createdBy, Instant createdAt, List<Integer> versions) {

  /** What a ticket copies into its workflow input. */
  public HostHook toHostHook() {
    return new HostHook(name, version, script, timeoutSeconds);
  }
}
