package io.patchloop.api.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.web.filter.OncePerRequestFilter;

/** Authenticates {@code Authorization: Bearer <token>}; a request without the header goes on anonymous and meets the access rules. */
class BearerTokenFilter extends OncePerRequestFilter {

  private final TokenRegistry tokens;
  private final AuthenticationEntryPoint entryPoint;

  BearerTokenFilter(TokenRegistry tokens, AuthenticationEntryPoint entryPoint) {
    this.tokens = tokens;
    this.entryPoint = entryPoint;
  }

  private static String pathOf(HttpServletRequest request) {
    return request.getRequestURI().substring(request.getContextPath().length());
  }

  @Override
  protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    String header = request.getHeader("Authorization");
    if (header == null) {
      chain.doFilter(request, response);
      return;
    }
    if (!header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      entryPoint.commence(request, response, new BadCredentialsException("the Authorization header must be 'Bearer <token>'"));
      return;
    }
    String token = header.substring(7).strip();
    var caller = tokens.lookup(token);
    UsernamePasswordAuthenticationToken auth;
    if (caller.isPresent()) {
      auth = new UsernamePasswordAuthenticationToken(caller.get().name(), null,
          AuthorityUtils.createAuthorityList(caller.get().role().authorities()));
    } else if (MetricsScrape.ENDPOINT.equals(pathOf(request)) && tokens.isScrapeToken(token)) {
      auth = new UsernamePasswordAuthenticationToken(MetricsScrape.CALLER, null,
          AuthorityUtils.createAuthorityList(MetricsScrape.AUTHORITY));
    } else {
      // the scrape token anywhere but the metrics is no token at all
      entryPoint.commence(request, response, new BadCredentialsException("the bearer token is not valid"));
      return;
    }
    SecurityContextHolder.getContext().setAuthentication(auth);
    try {
      chain.doFilter(request, response);
    } finally {
      SecurityContextHolder.clearContext();
    }
  }
}
