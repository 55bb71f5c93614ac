package io.patchloop.api.audit;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Tells the audit record who the caller is, once the security chain has authenticated it and
 * before it authorizes: a refused (403) call is recorded with its caller. Each security chain
 * places one after its authentication filters; it is no bean, so it runs only there.
 */
public final class AuditActorCapture extends OncePerRequestFilter {

  @Override
  protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    AuditContext context = AuditContext.current();
    if (context != null) {
      context.caller(SecurityContextHolder.getContext().getAuthentication());
    }
    chain.doFilter(request, response);
  }
}
