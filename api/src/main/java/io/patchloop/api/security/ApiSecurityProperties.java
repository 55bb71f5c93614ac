package io.patchloop.api.security;

import java.nio.file.Path;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * API tokens. In production they come from configuration (environment variables such as
 * {@code PATCHLOOP_SECURITY_TOKENS_0_NAME}, {@code _TOKEN}, {@code _ROLE}); the standalone mode
 * may generate an admin token into {@code adminTokenFile} when none is configured.
 */
@ConfigurationProperties("patchloop.security")
public record ApiSecurityProperties(List<Token> tokens, Path adminTokenFile, boolean generateAdminToken) {

  public ApiSecurityProperties {
    tokens = tokens == null ? List.of() : List.copyOf(tokens);
  }

  public record Token(String name, String token, Role role) {
    @Override
    public String toString() {
      return "Token[name=" + name + ", role=" + role + "]";
    }
  }
}
