package io.patchloop.console;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Ends a console session after {@code patchloop.console.idle-timeout} without a request of the
 * person's own. Tomcat's session timeout alone would not do: an open dashboard or ticket page polls
 * every few seconds and would keep its session alive for ever. So the session keeps the time of the
 * person's last request, and a poll (an htmx request that console.js marks with {@value #POLL_HEADER})
 * is served without moving it; the first request after the idle time, poll or not, finds the
 * session ended and is sent to the sign-in page.
 *
 * <p>Runs in the console's chain before the security context is read from the session, so the
 * request goes on as an anonymous one. Each new session also gets the idle time as its own
 * timeout, to the second (Tomcat's setting counts whole minutes).
 */
final class ConsoleIdleTimeout extends OncePerRequestFilter {

  static final String POLL_HEADER = "X-Patchloop-Poll";
  static final String LAST_ACTIVITY = ConsoleIdleTimeout.class.getName() + ".lastActivity";

  private final Duration idle;
  private final Clock clock;

  ConsoleIdleTimeout(Duration idle, Clock clock) {
    this.idle = idle;
    this.clock = clock;
  }

  @Override
  protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    HttpSession session = request.getSession(false);
    if (session != null) {
      long now = clock.millis();
      Object last = session.getAttribute(LAST_ACTIVITY);
      if (last instanceof Long at && now - at >= idle.toMillis()) {
        session.invalidate();
      } else {
        if (session.isNew() || last == null) {
          session.setMaxInactiveInterval((int) Math.max(1, idle.toSeconds()));
        }
        if (last == null || request.getHeader(POLL_HEADER) == null) {
          session.setAttribute(LAST_ACTIVITY, now);
        }
      }
    }
    chain.doFilter(request, response);
    // a session made while serving this request (the sign-in page's CSRF token, a sign-in) starts its clock now
    HttpSession made = request.getSession(false);
    if (made != null && made.getAttribute(LAST_ACTIVITY) == null) {
      try {
        made.setMaxInactiveInterval((int) Math.max(1, idle.toSeconds()));
        made.setAttribute(LAST_ACTIVITY, clock.millis());
      } catch (IllegalStateException invalidated) {
        // signed out during this request
      }
    }
  }

  /** True when this request came with a session cookie that no longer names a live session. */
  static boolean sessionEnded(HttpServletRequest request) {
    return request.getRequestedSessionId() != null && !request.isRequestedSessionIdValid();
  }
}
