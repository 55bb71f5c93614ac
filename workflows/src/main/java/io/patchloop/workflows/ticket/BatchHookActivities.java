package io.patchloop.workflows.ticket;

import io.temporal.activity.ActivityInterface;

/**
 * A ticket's HTTP hook around each batch: a signed POST that must answer 2xx. Fails with type
 * {@link #FAILED} when it did not (the message says how), not retried when the answer was a
 * refusal (4xx) or the destination is refused.
 */
@ActivityInterface
public interface BatchHookActivities {

  String FAILED = "BATCH_HOOK_FAILED";

  void callBatchHook(BatchHookCall call);
}
