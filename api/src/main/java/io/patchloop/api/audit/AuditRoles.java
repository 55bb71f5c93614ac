package io.patchloop.api.audit;

import io.patchloop.api.security.Role;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;

final class AuditRoles {

  private AuditRoles() {}

  /** A token carries its role and every role below it; the record names the role itself. */
  static String highest(Authentication authentication) {
    Set<String> held = authentication.getAuthorities().stream().map(GrantedAuthority::getAuthority)
        .collect(Collectors.toSet());
    Role highest = null;
    for (Role r : Role.values()) {
      if (held.contains("ROLE_" + r.name())) {
        highest = r;
      }
    }
    return highest == null ? null : highest.name();
  }
}
