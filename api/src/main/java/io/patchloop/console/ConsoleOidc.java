package io.patchloop.console;

import io.patchloop.api.security.Role;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.web.server.Cookie;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.server.servlet.ConfigurableServletWebServerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.oauth2.client.oidc.userinfo.OidcUserRequest;
import org.springframework.security.oauth2.client.oidc.userinfo.OidcUserService;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.oauth2.client.registration.ClientRegistrations;
import org.springframework.security.oauth2.client.userinfo.OAuth2UserService;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.oidc.user.DefaultOidcUser;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.springframework.util.StringUtils;

/**
 * The console's OpenID Connect sign-in, when {@code patchloop.console.oidc.issuer-uri} is set: the
 * one client registration ("oidc"), the mapping of a claim's values to a role, and what the sign-in
 * page says when it fails. Without an issuer this bean does not exist, the console chain has no
 * oauth2Login and nothing reaches out to a provider.
 *
 * <p>The provider's discovery document is read at the first sign-in, not at startup, so the
 * platform starts while the provider is down; a failed read is tried again at the next sign-in.
 */
final class ConsoleOidc implements ClientRegistrationRepository {

  static final String REGISTRATION_ID = "oidc";
  static final String AUTHORIZATION_BASE = "/console/oauth2/authorization";
  static final String SIGN_IN_URL = AUTHORIZATION_BASE + "/" + REGISTRATION_ID;
  static final String CALLBACK_BASE = "/console/oauth2/code";
  /** The OAuth2Error code of a person whose claim maps to no role. */
  static final String NO_ROLE = "patchloop_no_role";

  private static final Logger log = LoggerFactory.getLogger(ConsoleOidc.class);

  private final ConsoleProperties.Oidc settings;
  private final OidcUserService delegate = new OidcUserService();
  private volatile ClientRegistration registration;

  ConsoleOidc(ConsoleProperties.Oidc settings) {
    List<String> missing = new ArrayList<>();
    if (!StringUtils.hasText(settings.clientId())) {
      missing.add("patchloop.console.oidc.client-id");
    }
    if (settings.roleMapping().isEmpty()) {
      missing.add("patchloop.console.oidc.role-mapping (no claim value maps to a role, so nobody could sign in)");
    }
    if (!settings.scopes().contains("openid")) {
      missing.add("the scope 'openid' in patchloop.console.oidc.scopes");
    }
    if (!missing.isEmpty()) {
      throw new IllegalStateException("patchloop.console.oidc.issuer-uri is set but this is missing: " + String.join("; ", missing));
    }
    this.settings = settings;
  }

  String providerName() {
    return settings.providerName();
  }

  @Override
  public ClientRegistration findByRegistrationId(String registrationId) {
    if (!REGISTRATION_ID.equals(registrationId)) {
      return null;
    }
    ClientRegistration known = registration;
    if (known == null) {
      synchronized (this) {
        if (registration == null) {
          ClientRegistration.Builder discovered;
          try {
            discovered = ClientRegistrations.fromIssuerLocation(settings.issuerUri());
          } catch (RuntimeException e) {
            log.warn("cannot read the OpenID Connect provider {} at {}: {}", settings.providerName(), settings.issuerUri(),
                e.toString());
            throw new ProviderUnreachable(e);
          }
          registration = discovered
              .registrationId(REGISTRATION_ID)
              .clientName(settings.providerName())
              .clientId(settings.clientId())
              .clientSecret(settings.clientSecret())
              .scope(settings.scopes())
              .redirectUri("{baseUrl}" + CALLBACK_BASE + "/{registrationId}")
              .build();
          log.info("OpenID Connect provider {} read from {}", settings.providerName(), settings.issuerUri());
        }
        known = registration;
      }
    }
    return known;
  }

  /** Loads the person as Spring does, then gives them the role their claim maps to, or refuses them. */
  OAuth2UserService<OidcUserRequest, OidcUser> userService() {
    return request -> {
      OidcUser user = delegate.loadUser(request);
      Set<String> values = claimValues(user.getClaims(), settings.rolesClaim());
      Optional<Role> role = values.stream().map(settings.roleMapping()::get).filter(r -> r != null)
          .max(Comparator.naturalOrder());
      String nameClaim = user.getClaims().get(settings.userNameClaim()) != null ? settings.userNameClaim() : "sub";
      String name = String.valueOf(user.getClaims().get(nameClaim));
      if (role.isEmpty()) {
        log.info("console sign-in refused: {} at {} has no mapped value in claim '{}' (it has {})", name,
            settings.providerName(), settings.rolesClaim(), values);
        throw new OAuth2AuthenticationException(new OAuth2Error(NO_ROLE,
            "You signed in at " + settings.providerName() + " as " + name + ", but that account has no Patchloop role: "
                + "no value of its '" + settings.rolesClaim() + "' claim is mapped to a role. "
                + "Ask a Patchloop administrator to map one of your groups (patchloop.console.oidc.role-mapping).", null));
      }
      return new DefaultOidcUser(AuthorityUtils.createAuthorityList(role.get().authorities()), user.getIdToken(),
          user.getUserInfo(), nameClaim);
    };
  }

  /** A claim's values: a list of strings or one string; a dotted name reaches into an object claim. */
  static Set<String> claimValues(Map<String, Object> claims, String claimName) {
    Object value = claims.get(claimName);
    if (value == null && claimName.contains(".")) {
      Object at = claims;
      for (String part : claimName.split("\\.")) {
        at = at instanceof Map<?, ?> m ? m.get(part) : null;
      }
      value = at;
    }
    Set<String> values = new LinkedHashSet<>();
    if (value instanceof Collection<?> many) {
      many.stream().filter(v -> v != null).forEach(v -> values.add(v.toString()));
    } else if (value != null) {
      values.add(value.toString());
    }
    return values;
  }

  /** What the sign-in page says after a failed OpenID Connect sign-in. */
  String failureMessage(AuthenticationException failure) {
    if (failure instanceof OAuth2AuthenticationException e && NO_ROLE.equals(e.getError().getErrorCode())) {
      return e.getError().getDescription();
    }
    if (failure.getCause() instanceof ProviderUnreachable) {
      return "Patchloop could not reach " + settings.providerName() + " to start the sign-in. Try again later, or sign in with a token.";
    }
    String why = failure instanceof OAuth2AuthenticationException e
        ? (e.getError().getDescription() != null ? e.getError().getDescription() : e.getError().getErrorCode())
        : failure.getMessage();
    return "Sign-in with " + settings.providerName() + " did not succeed (" + why + "). Try again.";
  }

  /** The provider's discovery document could not be read (to be tried again at the next sign-in). */
  static final class ProviderUnreachable extends RuntimeException {
    ProviderUnreachable(Throwable cause) {
      super("the OpenID Connect provider cannot be read: " + cause.getMessage(), cause);
    }
  }

  /** Creates {@link ConsoleOidc} only when an issuer is configured. */
  @Configuration(proxyBeanMethods = false)
  @Conditional(Configured.class)
  static class OidcConfiguration {

    @Bean
    ConsoleOidc consoleOidc(ConsoleProperties properties) {
      return new ConsoleOidc(properties.oidc());
    }

    /**
     * The session cookie becomes SameSite=Lax (from Strict). The provider sends the browser back to
     * the callback from its own site, after the person signed in on its page: a Strict cookie is not
     * sent with that request, the session that holds the sign-in's state is not found and the
     * sign-in fails (seen in Chromium: ConsoleSingleSignOnBrowserTest). Lax cookies go with such a
     * top-level GET and with no cross-site POST; every console form has its CSRF token besides.
     * Runs after Spring Boot's own customizer (order 0), which applies server.servlet.session.*.
     */
    @Bean
    WebServerFactoryCustomizer<ConfigurableServletWebServerFactory> laxSessionCookieForSingleSignOn() {
      return new LaxSessionCookie();
    }
  }

  static final class LaxSessionCookie implements WebServerFactoryCustomizer<ConfigurableServletWebServerFactory>, Ordered {
    @Override
    public void customize(ConfigurableServletWebServerFactory factory) {
      var cookie = factory.getSettings().getSession().getCookie();
      if (cookie.getSameSite() == null || cookie.getSameSite() == Cookie.SameSite.STRICT) {
        cookie.setSameSite(Cookie.SameSite.LAX);
      }
    }

    @Override
    public int getOrder() {
      return Ordered.LOWEST_PRECEDENCE;
    }
  }

  static class Configured extends SpringBootCondition {
    @Override
    public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
      String issuer = Binder.get(context.getEnvironment()).bind("patchloop.console.oidc.issuer-uri", String.class).orElse(null);
      return StringUtils.hasText(issuer)
          ? ConditionOutcome.match("patchloop.console.oidc.issuer-uri is set")
          : ConditionOutcome.noMatch("patchloop.console.oidc.issuer-uri is not set");
    }
  }
}
