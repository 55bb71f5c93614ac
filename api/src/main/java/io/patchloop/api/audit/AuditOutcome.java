package io.patchloop.api.audit;

/** How an audited call ended. */
public enum AuditOutcome {
  /** The change was made (2xx; for a console form, the redirect after it). */
  SUCCESS,
  /** Refused by authentication or authorization (401, 403), or a console sign-in with a bad token. */
  DENIED,
  /** Anything else: bad input (400), conflicts (409), missing targets (404), errors (5xx), a console form sent back with problems. */
  FAILED;

  static AuditOutcome ofStatus(int status) {
    if (status == 401 || status == 403) {
      return DENIED;
    }
    return status >= 200 && status < 400 ? SUCCESS : FAILED;
  }
}
