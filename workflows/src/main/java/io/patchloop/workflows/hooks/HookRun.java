package io.patchloop.workflows.hooks;

/** A hook to run on one host: which script, in which phase, for which ticket (the script's {@code $2}). */
public record HookRun(HostHook hook, HookPhase phase, String ticketId) {}
