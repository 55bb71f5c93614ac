package io.patchloop.production;

import java.util.Set;
import org.springframework.core.env.ConfigurableEnvironment;

/** What a {@link ProductionRequirement} reads: the environment, where an unresolvable placeholder is "not set". */
public final class ProductionSettings {

  /**
   * Properties the process fills in itself once the check has passed, comma-separated: the
   * standalone application's embedded MariaDB and Temporal server give it the database and the
   * Temporal target only after they have started, which is after the check.
   */
  public static final String SUPPLIED_AT_START = "patchloop.production-check.supplied-at-start";

  private final ConfigurableEnvironment environment;
  private final Set<String> suppliedAtStart;

  public ProductionSettings(ConfigurableEnvironment environment) {
    this.environment = environment;
    String supplied = value(SUPPLIED_AT_START);
    this.suppliedAtStart = supplied == null ? Set.of()
        : Set.of(org.springframework.util.StringUtils.tokenizeToStringArray(supplied, ","));
  }

  /**
   * The value, or null when it is absent or names a variable that is not set (the production part
   * of patchloop-common.yaml writes {@code ${PATCHLOOP_DB_URL}} without a fallback, so reading it
   * unset throws).
   */
  public String value(String property) {
    try {
      return environment.getProperty(property);
    } catch (IllegalArgumentException unresolvablePlaceholder) {
      return null;
    }
  }

  /** Whether the process fills this property in itself after the check. */
  public boolean suppliedAtStart(String property) {
    return suppliedAtStart.contains(property);
  }

  public ConfigurableEnvironment environment() {
    return environment;
  }
}
