package io.patchloop.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.patchloop.api.security.Role;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How the roles claim is read, and the settings OpenID Connect sign-in refuses to start with. */
class ConsoleOidcSettingsTest {

  static ConsoleProperties.Oidc settings(String clientId, Map<String, Role> mapping, List<String> scopes) {
    return new ConsoleProperties.Oidc("https://sso.example.com/realms/ops", clientId, "secret", "Corp SSO", "groups",
        mapping, "preferred_username", scopes);
  }

  @Test
  void aClaimIsAListOneStringOrADottedPathIntoAnObject() {
    assertThat(ConsoleOidc.claimValues(Map.of("groups", List.of("a", "b")), "groups")).containsExactly("a", "b");
    assertThat(ConsoleOidc.claimValues(Map.of("groups", "a"), "groups")).containsExactly("a");
    assertThat(ConsoleOidc.claimValues(Map.of("realm_access", Map.of("roles", List.of("ops-admin"))), "realm_access.roles"))
        .containsExactly("ops-admin");
    assertThat(ConsoleOidc.claimValues(Map.of("https://patchloop.example.com/roles", List.of("ops")),
        "https://patchloop.example.com/roles")).as("a claim whose name has dots is read whole first").containsExactly("ops");
    assertThat(ConsoleOidc.claimValues(Map.of("sub", "x"), "groups")).isEmpty();
    assertThat(ConsoleOidc.claimValues(Map.of("realm_access", "flat"), "realm_access.roles")).isEmpty();
  }

  @Test
  void anIssuerWithoutAClientIdOrAnyMappedRoleDoesNotStart() {
    assertThatThrownBy(() -> new ConsoleOidc(settings(null, Map.of("ops", Role.ADMIN), List.of("openid"))))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("patchloop.console.oidc.client-id");
    assertThatThrownBy(() -> new ConsoleOidc(settings("patchloop", Map.of(), List.of("openid"))))
        .hasMessageContaining("role-mapping").hasMessageContaining("nobody could sign in");
    assertThatThrownBy(() -> new ConsoleOidc(settings("patchloop", Map.of("ops", Role.ADMIN), List.of("profile"))))
        .hasMessageContaining("openid");
    var fine = new ConsoleOidc(settings("patchloop", Map.of("ops", Role.ADMIN), List.of("openid")));
    assertThat(fine.providerName()).isEqualTo("Corp SSO");
    assertThat(fine.findByRegistrationId("other")).as("only the one registration").isNull();
  }
}
