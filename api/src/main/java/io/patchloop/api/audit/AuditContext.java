package io.patchloop.api.audit;

import java.time.Instant;
import org.springframework.security.core.Authentication;

/**
 * The audit record of the request the current thread serves, built up while it runs: the filter
 * starts it, the security chain names the caller, the first committing transaction writes it, and
 * the filter completes it with the response. Never holds a request body.
 */
public final class AuditContext {

  private static final ThreadLocal<AuditContext> CURRENT = new ThreadLocal<>();

  final Instant at;
  final String channel;
  final String method;
  final String path;
  final AuditTarget target;
  final String requestId;
  final String clientAddress;
  volatile String actor;
  volatile String role;
  /** The id of the row once written; set by the transaction that wrote it. */
  volatile Long rowId;
  volatile boolean reachedHandler;
  /** Set by {@link Audited}. */
  volatile boolean refused;
  volatile boolean confirmationStep;

  AuditContext(Instant at, String channel, String method, String path, AuditTarget target, String requestId,
      String clientAddress) {
    this.at = at;
    this.channel = channel;
    this.method = method;
    this.path = path;
    this.target = target;
    this.requestId = requestId;
    this.clientAddress = clientAddress;
  }

  static AuditContext current() {
    return CURRENT.get();
  }

  static void bind(AuditContext context) {
    CURRENT.set(context);
  }

  static void unbind() {
    CURRENT.remove();
  }

  /** The caller as the security chain authenticated it; an anonymous caller is no actor. */
  void caller(Authentication authentication) {
    if (authentication == null || !authentication.isAuthenticated()
        || authentication instanceof org.springframework.security.authentication.AnonymousAuthenticationToken) {
      return;
    }
    actor = authentication.getName();
    role = AuditRoles.highest(authentication);
  }

  boolean hasActor() {
    return actor != null;
  }
}
