package io.patchloop.api.limits;

import io.patchloop.api.problems.ProblemWriter;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Scope;
import org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterProperties;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * The bounds of what one request may make the API read (README, "Request bounds"): the body size,
 * and Jackson's limits on the JSON inside it.
 */
@Configuration(proxyBeanMethods = false)
public class RequestBoundsConfiguration {

  /** Far above any field the API takes (a stored private key is at most 16 KiB), far below what hurts. */
  public static final int MAX_JSON_STRING_LENGTH = 64 * 1024;
  /** Property names and map keys: tag keys and header names are at most 64 characters. */
  public static final int MAX_JSON_NAME_LENGTH = 1024;
  /** The deepest input (a baseline's rules[].products[]) is four levels. */
  public static final int MAX_JSON_NESTING_DEPTH = 32;
  /** Ids and counts are longs: 20 digits. */
  public static final int MAX_JSON_NUMBER_LENGTH = 100;
  /** An import of 5000 hosts with 32 tags each is under half of it. */
  public static final long MAX_JSON_TOKENS = 1_000_000;

  /**
   * Just after Spring Security's chain (at -100), which never reads a body: an unauthenticated
   * request is a 401 whatever its size, and an oversized one is refused with its caller known, so
   * the audit log (which wraps both) names who sent it.
   */
  @Bean
  FilterRegistrationBean<RequestBodyLimitFilter> requestBodyLimitFilter(RequestBoundsProperties bounds,
      ProblemWriter problems) {
    var registration = new FilterRegistrationBean<>(new RequestBodyLimitFilter(bounds, problems));
    registration.addUrlPatterns("/api/*");
    registration.setOrder(SecurityFilterProperties.DEFAULT_FILTER_ORDER + 10);
    return registration;
  }

  /**
   * The builder of the JSON mapper Spring MVC reads request bodies with (Jackson 3; Temporal's own
   * Jackson 2 mapper is not involved), on a factory with tight read constraints. Spring Boot 4.0
   * builds it on a default factory and a {@link JsonMapperBuilderCustomizer} cannot change the
   * factory, so this replaces Boot's builder bean and applies the customizers (spring.jackson.*
   * among them) as Boot's would.
   */
  @Bean
  @Scope(ConfigurableBeanFactory.SCOPE_PROTOTYPE)
  JsonMapper.Builder jsonMapperBuilder(ObjectProvider<JsonMapperBuilderCustomizer> customizers,
      RequestBoundsProperties bounds) {
    JsonFactory factory = JsonFactory.builder().streamReadConstraints(readConstraints(bounds)).build();
    JsonMapper.Builder builder = JsonMapper.builder(factory);
    customizers.orderedStream().forEach(c -> c.customize(builder));
    return builder;
  }

  static StreamReadConstraints readConstraints(RequestBoundsProperties bounds) {
    return StreamReadConstraints.builder()
        .maxStringLength(MAX_JSON_STRING_LENGTH)
        .maxNameLength(MAX_JSON_NAME_LENGTH)
        .maxNestingDepth(MAX_JSON_NESTING_DEPTH)
        .maxNumberLength(MAX_JSON_NUMBER_LENGTH)
        .maxTokenCount(MAX_JSON_TOKENS)
        .maxDocumentLength(bounds.largestBody())
        .build();
  }
}
