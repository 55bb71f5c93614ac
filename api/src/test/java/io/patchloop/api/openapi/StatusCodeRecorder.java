package io.patchloop.api.openapi;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Writes down the status of every API answer the api module's tests get, for
 * {@link DocumentedStatusCodesIT} to hold against the OpenAPI description: a line
 * {@code METHOD path status} in {@value #FILE}, emptied when the tests' JVM records its first line.
 * Outermost of all filters, so the 401 and 403 of the security chain and the 413 of the body limit
 * are seen as callers see them. Only where the build asks for it (the api module's Surefire run):
 * the check's own platform must not write over what it reads.
 */
@AutoConfiguration
@ConditionalOnProperty("patchloop.test.record-status-codes")
public class StatusCodeRecorder {

  static final String FILE = "target/observed-status-codes.txt";

  private static boolean started;

  @Bean
  FilterRegistrationBean<OncePerRequestFilter> statusCodeRecordingFilter() {
    FilterRegistrationBean<OncePerRequestFilter> registration = new FilterRegistrationBean<>(new OncePerRequestFilter() {
      @Override
      protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
          throws ServletException, IOException {
        try {
          chain.doFilter(request, response);
        } finally {
          String path = request.getRequestURI();
          if (path.startsWith("/api/")) {
            record(request.getMethod() + " " + path + " " + response.getStatus());
          }
        }
      }
    });
    registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
    registration.addUrlPatterns("/api/*");
    return registration;
  }

  private static synchronized void record(String line) {
    Path file = Path.of(FILE);
    try {
      if (!started) {
        Files.createDirectories(file.getParent());
        Files.deleteIfExists(file);
        started = true;
      }
      Files.writeString(file, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
