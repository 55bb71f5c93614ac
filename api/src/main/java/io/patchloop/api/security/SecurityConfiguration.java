package io.patchloop.api.security;

import io.patchloop.api.audit.AuditActorCapture;
import io.patchloop.api.problems.ProblemWriter;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;

/**
 * Who may call what: viewers read, operators run tickets and inspection plans, admins manage hosts,
 * credentials, baselines and notification channels. Health and the OpenAPI description are open so that load balancers and people can
 * reach them without a token; the Prometheus metrics take a reader's token or the scrape token ({@link MetricsScrape}).
 */
@Configuration(proxyBeanMethods = false)
public class SecurityConfiguration {

  @Bean
  SecurityFilterChain api(HttpSecurity http, TokenRegistry tokens, ProblemWriter problems) throws Exception {
    var entryPoint = (org.springframework.security.web.AuthenticationEntryPoint) (request, response, e) ->
        problems.write(request, response, HttpStatus.UNAUTHORIZED, "Authentication required",
            e.getMessage() == null || e.getMessage().startsWith("Full authentication")
                ? "send 'Authorization: Bearer <token>'" : e.getMessage());
    http.csrf(c -> c.disable())
        .httpBasic(b -> b.disable())
        .formLogin(f -> f.disable())
        .logout(l -> l.disable())
        .requestCache(c -> c.disable())
        .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
        .addFilterBefore(new BearerTokenFilter(tokens, entryPoint), AnonymousAuthenticationFilter.class)
        // the audit record learns the caller before the access rules may refuse it
        .addFilterAfter(new AuditActorCapture(), AnonymousAuthenticationFilter.class)
        .exceptionHandling(e -> e
            .authenticationEntryPoint(entryPoint)
            .accessDeniedHandler((request, response, denied) ->
                problems.write(request, response, HttpStatus.FORBIDDEN, "Forbidden",
                    "your token's role may not " + request.getMethod() + " " + request.getRequestURI())))
        .authorizeHttpRequests(a -> {
          a.requestMatchers("/actuator/health", "/actuator/health/**", "/actuator/info").permitAll()
            .requestMatchers("/v3/api-docs", "/v3/api-docs/**", "/swagger-ui.html", "/swagger-ui/**").permitAll()
            .requestMatchers("/error").permitAll()
            // README, "Metrics": a reader's token, or the scrape token that opens only this
            .requestMatchers(MetricsScrape.ENDPOINT)
                .hasAnyAuthority("ROLE_" + Role.VIEWER.name(), MetricsScrape.AUTHORITY);
          // who may call which API path: AccessRules, which the OpenAPI description states too
          for (AccessRules.Rule rule : AccessRules.API) {
            String[] patterns = rule.patterns().toArray(String[]::new);
            (rule.method() == null ? a.requestMatchers(patterns) : a.requestMatchers(rule.method(), patterns))
                .hasRole(rule.role().name());
          }
          a.anyRequest().hasRole(Role.ADMIN.name());
        });
    return http.build();
  }
}
