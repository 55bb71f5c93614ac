package io.patchloop.production;

import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.context.logging.LoggingApplicationListener;
import org.springframework.context.ApplicationListener;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Profiles;
import org.springframework.core.io.support.SpringFactoriesLoader;

/**
 * Under the production profile, asks every {@link ProductionRequirement} on the class path about
 * the settings and stops the start with all their problems at once, before a connection pool, a
 * Temporal client or the standalone's embedded servers start. Registered in spring.factories as an
 * application listener: it runs once the configuration files are read and logging is set up (its
 * order is right after the logging listener's), so the failure report reaches the log; an
 * environment post-processor would run before logging.
 */
public class ProductionSettingsCheck implements ApplicationListener<ApplicationEnvironmentPreparedEvent>, Ordered {

  public static final String PROFILE = "production";

  @Override
  public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
    ConfigurableEnvironment environment = event.getEnvironment();
    if (!environment.acceptsProfiles(Profiles.of(PROFILE))) {
      return;
    }
    List<SettingProblem> problems = problems(environment,
        SpringFactoriesLoader.forDefaultResourceLocation(event.getSpringApplication().getClassLoader())
            .load(ProductionRequirement.class));
    if (!problems.isEmpty()) {
      throw new ProductionSettingsException(problems);
    }
  }

  /** What the given requirements find wrong, in their order; empty when the settings are complete. */
  public static List<SettingProblem> problems(ConfigurableEnvironment environment, List<ProductionRequirement> requirements) {
    ProductionSettings settings = new ProductionSettings(environment);
    List<SettingProblem> problems = new ArrayList<>();
    for (ProductionRequirement requirement : requirements) {
      problems.addAll(requirement.check(settings));
    }
    return problems;
  }

  @Override
  public int getOrder() {
    return LoggingApplicationListener.DEFAULT_ORDER + 1;
  }
}
