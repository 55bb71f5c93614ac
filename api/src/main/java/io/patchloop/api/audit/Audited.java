package io.patchloop.api.audit;

/**
 * What a console controller tells the audit record that the status cannot: a console form answers a
 * refusal it catches (a conflict, a failed test message) with the same redirect as a success, and
 * a confirmation step is a POST that changes nothing.
 */
public final class Audited {

  private Audited() {}

  /** The form was refused and nothing changed, though the answer is a redirect: recorded as FAILED. */
  public static void refused() {
    AuditContext context = AuditContext.current();
    if (context != null) {
      context.refused = true;
    }
  }

  /** The POST only asked for a confirmation and changed nothing: no audit event. */
  public static void confirmationStep() {
    AuditContext context = AuditContext.current();
    if (context != null) {
      context.confirmationStep = true;
    }
  }
}
