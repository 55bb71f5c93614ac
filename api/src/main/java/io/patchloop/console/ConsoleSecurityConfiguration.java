package io.patchloop.console;

import io.patchloop.api.security.Role;
import io.patchloop.api.security.TokenRegistry;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.csrf.CsrfException;
import org.springframework.web.util.HtmlUtils;

/**
 * The console's own filter chain, ahead of the API's: people sign in once with an API token and
 * then carry a session cookie, so every form needs Spring Security's CSRF token. The API's chain
 * (bearer tokens, stateless, no CSRF) is untouched: a request under /api/v1 never reaches this
 * chain, and the API never reads the session, so the console's cookie cannot call the API.
 */
@Configuration(proxyBeanMethods = false)
class ConsoleSecurityConfiguration {

  static final String SIGN_IN = "/console/sign-in";

  @Bean
  @Order(1)
  SecurityFilterChain console(HttpSecurity http, TokenRegistry tokens) throws Exception {
    var signInEntryPoint = new LoginUrlAuthenticationEntryPoint(SIGN_IN);
    http.securityMatcher("/console", "/console/**", "/webjars/**")
        .authenticationManager(new ProviderManager(tokenProvider(tokens)))
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
        .exceptionHandling(e -> e
            .authenticationEntryPoint((request, response, ex) -> {
              if (request.getHeader("HX-Request") != null) {
                // a live part polling after the session ended: htmx follows this to the sign-in page
                response.setHeader("HX-Redirect", SIGN_IN);
                response.sendError(HttpServletResponse.SC_UNAUTHORIZED);
              } else {
                signInEntryPoint.commence(request, response, ex);
              }
            })
            .accessDeniedHandler((request, response, denied) -> forbidden(response, denied instanceof CsrfException
                ? "This form was not sent by this console session (its CSRF token is missing or stale). Reload the page and try again."
                : "Your role may not " + request.getMethod() + " " + request.getRequestURI() + ".")))
        .authorizeHttpRequests(a -> a
            .requestMatchers("/console/assets/**", "/webjars/**").permitAll()
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
    return http.build();
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
