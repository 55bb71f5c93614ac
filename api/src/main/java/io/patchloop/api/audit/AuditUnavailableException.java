package io.patchloop.api.audit;

/** The audit row of a change could not be written, so the change was not made (the API answers 503). */
public class AuditUnavailableException extends RuntimeException {

  AuditUnavailableException(Throwable cause) {
    super("the audit log cannot be written; the change was not made", cause);
  }
}
