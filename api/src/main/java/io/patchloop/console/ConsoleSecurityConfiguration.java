package io.patchloop.console;

import io.patchloop.api.audit.AuditActorCapture;
import io.patchloop.api.security.Role;
import io.patchloop.api.security.TokenRegistry;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.config.ObjectPostProcessor;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.oauth2.client.web.HttpSessionOAuth2AuthorizedClientRepository;
import org.springframework.security.oauth2.client.web.OAuth2AuthorizationRequestRedirectFilter;
import org.springframework.security.web.DefaultRedirectStrategy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.authentication.SimpleUrlAuthenticationFailureHandler;
import org.springframework.security.web.context.SecurityContextHolderFilter;
import org.springframework.security.web.csrf.CsrfException;
import org.springframework.security.web.savedrequest.HttpSessionRequestCache;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.AndRequestMatcher;
import org.springframework.security.web.util.matcher.NegatedRequestMatcher;
import org.springframework.security.web.util.matcher.RequestHeaderRequestMatcher;
import org.springframework.web.util.HtmlUtils;

/**
 * The console's own filter chain, ahead of the API's: people sign in once with an API token and
 * then carry a session cookie, so every form needs Spring Security's CSRF token. The API's chain
 * (bearer tokens, stateless, no CSRF) is untouched: a request under /api/v1 never reaches this
 * chain, and the API never reads the session, so the console's cookie cannot call the API.
 *
 * <p>With {@code patchloop.console.oidc.issuer-uri} set, people may also sign in at an OpenID
 * Connect provider ({@link ConsoleOidc}); its endpoints live under /console/oauth2 so that only this
 * chain knows them. A session ends after {@code patchloop.console.idle-timeout} without a request of
 * the person's own ({@link ConsoleIdleTimeout}).
 */
@Configuration(proxyBeanMethods = false)
class ConsoleSecurityConfiguration {

  static final String SIGN_IN = "/console/sign-in";

  /** No inline script or style anywhere in the console, no framing, forms only to the console itself. */
  static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self';"
      + " img-src 'self' data:; object-src 'none'; base-uri 'self'; frame-ancestors 'none'; form-action 'self'";

  @Bean
  @Order(1)
  SecurityFilterChain console(HttpSecurity http, TokenRegistry tokens, ConsoleProperties properties,
      ObjectProvider<ConsoleOidc> oidc) throws Exception {
    var signInEntryPoint = new LoginUrlAuthenticationEntryPoint(SIGN_IN);
    http.securityMatcher("/console", "/console/**", "/webjars/**")
        // the token form's provider; OpenID Connect sign-in, when configured, adds its own beside it
        .authenticationProvider(tokenProvider(tokens))
        .addFilterBefore(new ConsoleIdleTimeout(properties.idleTimeout(), Clock.systemUTC()), SecurityContextHolderFilter.class)
        // the audit record of a form learns who sent it before the access rules may refuse it
        .addFilterAfter(new AuditActorCapture(), AnonymousAuthenticationFilter.class)
        .formLogin(f -> f
            .loginPage(SIGN_IN)
            .loginProcessingUrl(SIGN_IN)
            // the token is the only credential; the form has no user name
            .usernameParameter("unused")
            .passwordParameter("token")
            .defaultSuccessUrl("/console", false)
            .failureUrl(SIGN_IN + "?error")
            .permitAll())
        .logout(l -> l
            .logoutUrl("/console/sign-out")
            .logoutSuccessUrl(SIGN_IN + "?signedOut")
            .invalidateHttpSession(true)
            .deleteCookies(ConsoleSession.COOKIE)
            .permitAll())
        .httpBasic(b -> b.disable())
        // every script, style and image is Patchloop's own file: an injected inline script would not run
        .headers(h -> h.contentSecurityPolicy(c -> c.policyDirectives(CONTENT_SECURITY_POLICY)))
        .requestCache(c -> c.requestCache(pagesOnly()))
        .exceptionHandling(e -> e
            .authenticationEntryPoint((request, response, ex) -> {
              if (request.getHeader("HX-Request") != null) {
                // a live part polling after the session ended: htmx follows this to the sign-in page
                response.setHeader("HX-Redirect", ConsoleIdleTimeout.sessionEnded(request) ? SIGN_IN + "?ended" : SIGN_IN);
                response.sendError(HttpServletResponse.SC_UNAUTHORIZED);
              } else if (ConsoleIdleTimeout.sessionEnded(request)) {
                new DefaultRedirectStrategy().sendRedirect(request, response, SIGN_IN + "?ended");
              } else {
                signInEntryPoint.commence(request, response, ex);
              }
            })
            .accessDeniedHandler((request, response, denied) -> {
              if (denied instanceof CsrfException && ConsoleIdleTimeout.sessionEnded(request)) {
                // a form sent after its session ended (idle time, sign-out elsewhere, a restart)
                new DefaultRedirectStrategy().sendRedirect(request, response, SIGN_IN + "?ended");
                return;
              }
              forbidden(response, denied instanceof CsrfException
                  ? "This form was not sent by this console session (its CSRF token is missing or stale). Reload the page and try again."
                  : "Your role may not " + request.getMethod() + " " + request.getRequestURI() + ".");
            }))
        .authorizeHttpRequests(a -> a
            .requestMatchers("/console/assets/**", "/webjars/**").permitAll()
            // with any query: ?oidcError and ?ended as well as form login's own ?error
            .requestMatchers(HttpMethod.GET, SIGN_IN).permitAll()
            // the API's rules: operators run tickets and plans; every other change (hosts, credentials,
            // baselines, channels, subscriptions) is an admin's
            .requestMatchers(HttpMethod.POST, "/console/tickets", "/console/tickets/**").hasRole(Role.OPERATOR.name())
            .requestMatchers(HttpMethod.POST, "/console/plans", "/console/plans/**").hasRole(Role.OPERATOR.name())
            .requestMatchers(HttpMethod.POST, "/console/**").hasRole(Role.ADMIN.name())
            // the forms only an admin can send (editors, import, delete confirmations); everyone else reads
            .requestMatchers(HttpMethod.GET, "/console/hosts/new", "/console/hosts/*/edit", "/console/hosts/import",
                "/console/credentials/new", "/console/baselines/new", "/console/baselines/*/edit",
                "/console/baselines/*/delete").hasRole(Role.ADMIN.name())
            .anyRequest().hasRole(Role.VIEWER.name()));
    ConsoleOidc signOn = oidc.getIfAvailable();
    if (signOn != null) {
      var failure = new SimpleUrlAuthenticationFailureHandler(SIGN_IN + "?oidcError");
      http.oauth2Login(o -> o
          .loginPage(SIGN_IN)
          .clientRegistrationRepository(signOn)
          // the tokens the provider gave are needed for nothing after sign-in: they live and die with the session
          .authorizedClientRepository(new HttpSessionOAuth2AuthorizedClientRepository())
          .authorizationEndpoint(a -> a.baseUri(ConsoleOidc.AUTHORIZATION_BASE))
          .redirectionEndpoint(r -> r.baseUri(ConsoleOidc.CALLBACK_BASE + "/*"))
          .loginProcessingUrl(ConsoleOidc.CALLBACK_BASE + "/*")
          .userInfoEndpoint(u -> u.oidcUserService(signOn.userService()))
          .defaultSuccessUrl("/console", false)
          .failureHandler(failure)
          // the provider could not be reached to start a sign-in: the sign-in page says so, not a bare 500
          .withObjectPostProcessor(new ObjectPostProcessor<OAuth2AuthorizationRequestRedirectFilter>() {
            @Override
            public <O extends OAuth2AuthorizationRequestRedirectFilter> O postProcess(O filter) {
              filter.setAuthenticationFailureHandler(failure);
              return filter;
            }
          }));
    }
    return http.build();
  }

  /**
   * Remembers the page a person asked for before signing in, to go there after; never a live part's
   * poll (an htmx request), which is a fragment and no page to land on.
   */
  private static HttpSessionRequestCache pagesOnly() {
    var cache = new HttpSessionRequestCache();
    cache.setRequestMatcher(new AndRequestMatcher(PathPatternRequestMatcher.withDefaults().matcher(HttpMethod.GET, "/console/**"),
        new NegatedRequestMatcher(new RequestHeaderRequestMatcher("HX-Request"))));
    return cache;
  }

  /** The same tokens and roles as the API: the token typed into the sign-in form is looked up like a bearer token. */
  static AuthenticationProvider tokenProvider(TokenRegistry tokens) {
    return new AuthenticationProvider() {
      @Override
      public Authentication authenticate(Authentication attempt) {
        Object token = attempt.getCredentials();
        var caller = token == null ? java.util.Optional.<TokenRegistry.Caller>empty()
            : tokens.lookup(token.toString().strip());
        if (caller.isEmpty()) {
          throw new BadCredentialsException("That token is not valid.");
        }
        return UsernamePasswordAuthenticationToken.authenticated(caller.get().name(), null,
            AuthorityUtils.createAuthorityList(caller.get().role().authorities()));
      }

      @Override
      public boolean supports(Class<?> authentication) {
        return UsernamePasswordAuthenticationToken.class.isAssignableFrom(authentication);
      }
    };
  }

  /** A small page of its own: the refusal happens in the filter chain, before any controller or view. */
  private static void forbidden(HttpServletResponse response, String why) throws IOException {
    response.setStatus(HttpServletResponse.SC_FORBIDDEN);
    response.setContentType("text/html;charset=UTF-8");
    response.getOutputStream().write(("""
        <!doctype html><html lang="en"><head><meta charset="utf-8"><title>Forbidden · Patchloop</title>
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <link rel="stylesheet" href="/console/assets/console.css"></head>
        <body><main class="page"><h1>Forbidden (403)</h1><p id="forbidden-reason">%s</p>
        <p><a href="/console">Back to the console</a></p></main></body></html>
        """.formatted(HtmlUtils.htmlEscape(why))).getBytes(StandardCharsets.UTF_8));
  }
}
