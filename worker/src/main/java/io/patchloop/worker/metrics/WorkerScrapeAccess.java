package io.patchloop.worker.metrics;

import io.patchloop.metrics.MetricsProperties;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The worker alone (profile "worker") has no API tokens and no Spring Security: its own
 * /actuator/prometheus (the worker's meters: host outcomes, step durations, deliveries, Temporal's)
 * answers only {@code Authorization: Bearer <patchloop.metrics.scrape-token>}, and nothing at all
 * while no scrape token is set. In the standalone JVM the API's security guards the one endpoint.
 */
@Configuration(proxyBeanMethods = false)
@Profile("worker")
class WorkerScrapeAccess {

  static final String ENDPOINT = "/actuator/prometheus";

  @Bean
  FilterRegistrationBean<ScrapeTokenFilter> workerScrapeTokenFilter(MetricsProperties metrics) {
    var registration = new FilterRegistrationBean<>(new ScrapeTokenFilter(metrics.scrapeToken()));
    registration.addUrlPatterns(ENDPOINT, ENDPOINT + "/*");
    return registration;
  }

  static final class ScrapeTokenFilter extends OncePerRequestFilter {

    private final byte[] expected;

    ScrapeTokenFilter(String scrapeToken) {
      this.expected = scrapeToken == null ? null : ("Bearer " + scrapeToken).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
        throws ServletException, IOException {
      String header = request.getHeader("Authorization");
      if (expected != null && header != null
          && MessageDigest.isEqual(expected, header.strip().getBytes(StandardCharsets.UTF_8))) {
        chain.doFilter(request, response);
        return;
      }
      response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
      response.setHeader("WWW-Authenticate", "Bearer");
      response.setContentType("text/plain;charset=UTF-8");
      response.getWriter().write(expected == null
          ? "the worker's metrics need patchloop.metrics.scrape-token (PATCHLOOP_METRICS_SCRAPE_TOKEN) set\n"
          : "send 'Authorization: Bearer <the metrics scrape token>'\n");
    }
  }
}
