package io.patchloop.api.security;

import java.util.List;

/** API roles; each includes the ones below it. */
public enum Role {
  /** Reads everything. */
  VIEWER,
  /** Also starts, pauses and cancels tickets. */
  OPERATOR,
  /** Also manages hosts, credentials, baselines and settings. */
  ADMIN;

  /** Whether the caller holds this role (or one that includes it); false for no caller. */
  public boolean heldBy(org.springframework.security.core.Authentication caller) {
    String wanted = "ROLE_" + name();
    return caller != null && caller.getAuthorities().stream().anyMatch(a -> wanted.equals(a.getAuthority()));
  }

  /** The Spring authorities a token of this role carries, itself and every role it includes. */
  public List<String> authorities() {
    return java.util.Arrays.stream(values())
        .filter(r -> r.ordinal() <= ordinal())
        .map(r -> "ROLE_" + r.name())
        .toList();
  }
}
