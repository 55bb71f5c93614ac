package io.patchloop.api.audit;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Clock;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

@Configuration(proxyBeanMethods = false)
class AuditConfiguration implements WebMvcConfigurer {

  /** Spring Security's filter chain runs at -100; the audit filter wraps it to see its refusals. */
  static final int AUDIT_FILTER_ORDER = -110;

  @Bean
  FilterRegistrationBean<AuditFilter> auditFilter(AuditEventStore store, Clock clock) {
    var registration = new FilterRegistrationBean<>(new AuditFilter(store, clock));
    registration.setOrder(AUDIT_FILTER_ORDER);
    registration.addUrlPatterns("/*");
    return registration;
  }

  /** Marks that a request got past the security chain to a controller (see AuditFilter.consoleOutcome). */
  @Override
  public void addInterceptors(InterceptorRegistry registry) {
    registry.addInterceptor(new HandlerInterceptor() {
      @Override
      public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        AuditContext context = AuditContext.current();
        if (context != null) {
          context.reachedHandler = true;
        }
        return true;
      }
    });
  }
}
