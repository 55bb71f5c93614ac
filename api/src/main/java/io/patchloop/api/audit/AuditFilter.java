package io.patchloop.api.audit;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Gives every request an id ({@code X-Request-Id}: the caller's when it is sane, else a new UUID,
 * echoed in the response) and audits every state-changing one: each POST, PUT, PATCH and DELETE
 * under /api/v1 (but the ticket preview, which changes nothing) and every console form. It runs
 * outside Spring Security's chain so that refusals (401, 403, a stale CSRF token) are audited too.
 *
 * <p>When the call changed the database in a transaction, {@link AuditTransactionListener} has
 * already written the row in it; this filter completes it with the status and, for a create, the
 * new id from the Location header. Otherwise (a refusal, a failure, a Temporal signal) it writes the
 * row itself after the response.
 */
class AuditFilter extends OncePerRequestFilter {

  static final String REQUEST_ID_HEADER = "X-Request-Id";
  /** What a caller's request id may look like; anything else (too long, spaces, control characters) is replaced. */
  private static final Pattern SANE_REQUEST_ID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");
  private static final Set<String> CHANGING_METHODS = Set.of("POST", "PUT", "PATCH", "DELETE");

  private static final Logger log = LoggerFactory.getLogger(AuditFilter.class);

  private final AuditEventStore store;
  private final Clock clock;

  AuditFilter(AuditEventStore store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  @Override
  protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    String requestId = request.getHeader(REQUEST_ID_HEADER);
    if (requestId == null || !SANE_REQUEST_ID.matcher(requestId).matches()) {
      requestId = UUID.randomUUID().toString();
    }
    response.setHeader(REQUEST_ID_HEADER, requestId);
    AuditContext context = start(request, requestId);
    if (context == null) {
      chain.doFilter(request, response);
      return;
    }
    // the API never reads the console's session (ConsoleSecurityConfiguration); only a console form may be named by it
    Authentication sessionCallerBefore = context.channel.equals("CONSOLE") ? sessionAuthentication(request) : null;
    AuditContext.bind(context);
    boolean threw = true;
    try {
      chain.doFilter(request, new HeldOpenResponse(response));
      threw = false;
    } finally {
      AuditContext.unbind();
      finish(context, request, response, threw, sessionCallerBefore);
    }
  }

  /** The record of an auditable request, or null for every other one. */
  private AuditContext start(HttpServletRequest request, String requestId) {
    String method = request.getMethod();
    if (!CHANGING_METHODS.contains(method)) {
      return null;
    }
    String path = request.getRequestURI().substring(request.getContextPath().length());
    AuditTarget target;
    String channel;
    if (path.startsWith(AuditTarget.API_PREFIX)) {
      if (path.equals("/api/v1/tickets/preview")) {
        return null;
      }
      target = AuditTarget.ofApi(method, path);
      channel = "API";
    } else if (path.startsWith(AuditTarget.CONSOLE_PREFIX)) {
      target = AuditTarget.ofConsole(method, path);
      channel = "CONSOLE";
    } else {
      return null;
    }
    // getRemoteAddr is the proxy's address unless server.forward-headers-strategy says to trust it;
    // then Tomcat (native) or Spring (framework) has already put the forwarded client address there
    return new AuditContext(clock.instant(), channel, method, path, target, requestId, request.getRemoteAddr());
  }

  private void finish(AuditContext c, HttpServletRequest request, HttpServletResponse response, boolean threw,
      Authentication sessionCallerBefore) {
    if (c.confirmationStep && c.rowId == null && !threw) {
      return;
    }
    int status = threw ? 500 : response.getStatus();
    AuditOutcome outcome = AuditOutcome.ofStatus(status);
    if (c.channel.equals("CONSOLE")) {
      outcome = consoleOutcome(c, request, status, outcome, sessionCallerBefore);
    }
    String targetId = c.target.targetId() != null ? c.target.targetId() : createdId(c, response, outcome);
    try {
      if (c.rowId == null || !store.complete(c.rowId, status, outcome, targetId)) {
        store.insert(c, status, outcome, targetId, false);
      }
    } catch (RuntimeException e) {
      // the response has gone out; the record must not vanish with the failed write
      log.error("AUDIT EVENT NOT STORED: at={} actor={} role={} channel={} method={} path={} resource={} target={}"
              + " action={} status={} outcome={} requestId={} client={}", c.at, c.actor, c.role, c.channel, c.method,
          c.path, c.target.resource(), targetId, c.target.action(), status, outcome, c.requestId, c.clientAddress, e);
    }
  }

  /**
   * A console form answers a change with a redirect (3xx) and a form with problems with the form
   * again (200): the status alone does not say which. A redirect that never reached a controller
   * is the security chain sending the person to sign in.
   */
  private static AuditOutcome consoleOutcome(AuditContext c, HttpServletRequest request, int status,
      AuditOutcome byStatus, Authentication sessionCallerBefore) {
    String action = c.target.action();
    if (c.target.resource().equals("console-session")) {
      if (action.equals("sign-in")) {
        // form login answers success and failure alike with a redirect; only the session says which
        Authentication signedIn = sessionAuthentication(request);
        if (!c.hasActor()) {
          c.caller(signedIn);
        }
        return signedIn != null ? AuditOutcome.SUCCESS : AuditOutcome.DENIED;
      }
      if (!c.hasActor()) {
        c.caller(sessionCallerBefore);
      }
      return byStatus;
    }
    if (!c.hasActor()) {
      // refused before the chain named the caller (a stale CSRF token): the session still says who sent it
      c.caller(sessionCallerBefore);
    }
    if (byStatus == AuditOutcome.SUCCESS) {
      if (c.refused) {
        return AuditOutcome.FAILED;
      }
      if (!c.reachedHandler) {
        return AuditOutcome.DENIED;
      }
      if (status < 300) {
        return AuditOutcome.FAILED;
      }
    }
    return byStatus;
  }

  /** A create's new id: the segment after the request's own path in the Location it answered with. */
  private static String createdId(AuditContext c, HttpServletResponse response, AuditOutcome outcome) {
    String location = response.getHeader("Location");
    if (outcome != AuditOutcome.SUCCESS || location == null || !c.target.action().equals("create")) {
      return null;
    }
    try {
      String path = URI.create(location).getPath();
      String prefix = c.path.endsWith("/") ? c.path : c.path + "/";
      if (path == null || !path.startsWith(prefix)) {
        return null;
      }
      String rest = path.substring(prefix.length());
      int slash = rest.indexOf('/');
      String id = slash < 0 ? rest : rest.substring(0, slash);
      return id.isEmpty() ? null : id;
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static Authentication sessionAuthentication(HttpServletRequest request) {
    HttpSession session = request.getSession(false);
    if (session == null) {
      return null;
    }
    try {
      Object stored = session.getAttribute(HttpSessionSecurityContextRepository.SPRING_SECURITY_CONTEXT_KEY);
      return stored instanceof SecurityContext sc && sc.getAuthentication() != null
          && sc.getAuthentication().isAuthenticated() ? sc.getAuthentication() : null;
    } catch (IllegalStateException invalidated) {
      return null;
    }
  }
}
