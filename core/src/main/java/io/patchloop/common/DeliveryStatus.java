package io.patchloop.common;

/** Where a message on its way out stands: a notification delivery, or a ticket's callback. */
public enum DeliveryStatus {
  /** Not sent yet, or being tried again. */
  PENDING,
  /** Taken by the channel or the callback URL. */
  SENT,
  /** Given up on; {@code lastError} says why. */
  FAILED
}
