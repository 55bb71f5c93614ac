package io.patchloop.console;

import io.patchloop.api.security.Role;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The console's settings.
 *
 * @param idleTimeout a console session ends after this long without a request of the person's own
 *     (a live part polling by itself does not count); also Tomcat's session timeout
 *     (server.servlet.session.timeout), which counts in whole minutes
 * @param oidc OpenID Connect sign-in; off unless {@code issuer-uri} is set
 */
@ConfigurationProperties("patchloop.console")
public record ConsoleProperties(@DefaultValue("30m") Duration idleTimeout, @DefaultValue Oidc oidc) {

  /**
   * Sign-in at an OpenID Connect provider (Keycloak, Entra ID, Okta, Dex, ...), beside the token form.
   *
   * @param issuerUri the provider's issuer; its /.well-known/openid-configuration is read at the first sign-in
   * @param clientId the client registered at the provider for Patchloop; its redirect URI is
   *     {@code <console URL>/console/oauth2/code/oidc}
   * @param clientSecret that client's secret (client_secret_basic)
   * @param providerName shown on the button: "Sign in with <providerName>"
   * @param rolesClaim the claim (ID token or user info) whose values name the person's groups or roles;
   *     a dotted path such as {@code realm_access.roles} reaches into an object claim
   * @param roleMapping claim value to Patchloop role; a person with several mapped values gets the
   *     highest role, one with none is refused
   * @param userNameClaim the claim shown as the signed-in name (the subject when the token lacks it)
   * @param scopes asked for at the provider
   */
  public record Oidc(
      String issuerUri,
      String clientId,
      String clientSecret,
      @DefaultValue("single sign-on") String providerName,
      @DefaultValue("groups") String rolesClaim,
      Map<String, Role> roleMapping,
      @DefaultValue("preferred_username") String userNameClaim,
      @DefaultValue({"openid", "profile", "email"}) List<String> scopes) {

    public Oidc {
      roleMapping = roleMapping == null ? Map.of() : Map.copyOf(roleMapping);
      scopes = scopes == null ? List.of() : List.copyOf(scopes);
    }

    @Override
    public String toString() {
      return "Oidc[issuerUri=" + issuerUri + ", clientId=" + clientId + ", providerName=" + providerName
          + ", rolesClaim=" + rolesClaim + ", roleMapping=" + roleMapping + "]";
    }
  }
}
