package io.patchloop.api.security;

import java.util.List;
import org.springframework.http.HttpMethod;
import org.springframework.http.server.PathContainer;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

/**
 * Which role each API call needs, first matching rule wins. One table for two readers: the
 * security filter chain enforces it and the OpenAPI description states it (with a 403 where a
 * lower role is refused), so the two cannot disagree.
 */
public final class AccessRules {

  /** @param method null for every method */
  public record Rule(HttpMethod method, List<String> patterns, Role role) {}

  public static final List<Rule> API = List.of(
      // who changed what is an admin's to read
      new Rule(null, List.of("/api/v1/audit-events", "/api/v1/audit-events/**"), Role.ADMIN),
      // hook scripts are what runs as root on hosts: read by those who put them on tickets
      new Rule(HttpMethod.GET, List.of("/api/v1/hooks", "/api/v1/hooks/**"), Role.OPERATOR),
      new Rule(HttpMethod.GET, List.of("/api/v1/**"), Role.VIEWER),
      new Rule(null, List.of("/api/v1/tickets", "/api/v1/tickets/**"), Role.OPERATOR),
      new Rule(null, List.of("/api/v1/inspection-plans", "/api/v1/inspection-plans/**"), Role.OPERATOR),
      new Rule(HttpMethod.POST, List.of("/api/v1/compliance/history/snapshots"), Role.OPERATOR),
      new Rule(null, List.of("/api/v1/**"), Role.ADMIN));

  private AccessRules() {}

  /** The role a call needs, for a path or a path template such as {@code /api/v1/hosts/{id}}; admin past the table. */
  public static Role required(HttpMethod method, String path) {
    PathContainer parsed = PathContainer.parsePath(path);
    for (Rule rule : API) {
      if (rule.method() != null && !rule.method().equals(method)) {
        continue;
      }
      for (String pattern : rule.patterns()) {
        PathPattern p = PathPatternParser.defaultInstance.parse(pattern);
        if (p.matches(parsed)) {
          return rule.role();
        }
      }
    }
    return Role.ADMIN;
  }
}
