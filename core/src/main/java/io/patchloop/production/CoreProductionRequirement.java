package io.patchloop.production;

import io.patchloop.secrets.MasterKeyFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.springframework.core.annotation.Order;

/**
 * What every process needs in production, the ones patchloop-common.yaml gives no fallback there:
 * the database, the Temporal cluster and the master key for secrets at rest.
 */
@Order(ProductionRequirement.CORE_ORDER)
public final class CoreProductionRequirement implements ProductionRequirement {

  static final String MASTER_KEY = "patchloop.secrets.master-key";
  static final String MASTER_KEY_FILE = "patchloop.secrets.master-key-file";

  @Override
  public List<SettingProblem> check(ProductionSettings settings) {
    List<SettingProblem> problems = new ArrayList<>();
    String url = settings.value("spring.datasource.url");
    if (!settings.suppliedAtStart("spring.datasource.url")) {
      if (url == null || url.isBlank()) {
        problems.add(new SettingProblem("spring.datasource.url", "PATCHLOOP_DB_URL",
            "not set; the JDBC URL of the MySQL 8 or MariaDB 10.6+ database, jdbc:mysql://host:3306/patchloop?..."));
      } else if (!url.strip().startsWith("jdbc:")) {
        problems.add(new SettingProblem("spring.datasource.url", "PATCHLOOP_DB_URL",
            "is not a JDBC URL; it starts jdbc:mysql://host:3306/patchloop?..."));
      }
    }
    requireNonBlank(settings, problems, "spring.datasource.username", "PATCHLOOP_DB_USER",
        "the database user");
    // an empty password is what the variable says when it is set empty (today's behaviour); only an unset one is refused
    if (!settings.suppliedAtStart("spring.datasource.password") && settings.value("spring.datasource.password") == null) {
      problems.add(new SettingProblem("spring.datasource.password", "PATCHLOOP_DB_PASSWORD",
          "not set; the database user's password"));
    }
    requireNonBlank(settings, problems, "spring.temporal.connection.target", "PATCHLOOP_TEMPORAL_TARGET",
        "the Temporal frontend, host:port (e.g. temporal.internal:7233)");
    requireNonBlank(settings, problems, "spring.temporal.namespace", "PATCHLOOP_TEMPORAL_NAMESPACE",
        "the Temporal namespace Patchloop's workflows run in (e.g. patchloop)");
    checkMasterKey(settings, problems);
    // simulated hosts answer scans with made-up inventories: a production platform must never report them
    if ("true".equalsIgnoreCase(String.valueOf(settings.value("patchloop.simulation.enabled")).strip())) {
      problems.add(new SettingProblem("patchloop.simulation.enabled", "PATCHLOOP_SIMULATION_ENABLED",
          "is true; simulated hosts are for scale runs only, their reports describe no real host: remove it"));
    }
    return problems;
  }

  private static void requireNonBlank(
      ProductionSettings settings, List<SettingProblem> problems, String property, String variable, String what) {
    if (settings.suppliedAtStart(property)) {
      return;
    }
    String value = settings.value(property);
    if (value == null || value.isBlank()) {
      problems.add(new SettingProblem(property, variable, (value == null ? "not set; " : "is empty; ") + what));
    }
  }

  /** The key inline, else a key file; the reason never repeats the key. */
  private static void checkMasterKey(ProductionSettings settings, List<SettingProblem> problems) {
    String key = settings.value(MASTER_KEY);
    if (key != null && !key.isBlank()) {
      try {
        MasterKeyFormat.decode(key);
      } catch (IllegalArgumentException e) {
        problems.add(new SettingProblem(MASTER_KEY, "PATCHLOOP_SECRETS_MASTER_KEY", "the key " + e.getMessage()));
      }
      return;
    }
    String file = settings.value(MASTER_KEY_FILE);
    if (file == null || file.isBlank()) {
      problems.add(new SettingProblem(MASTER_KEY, "PATCHLOOP_SECRETS_MASTER_KEY",
          "not set; 32 random bytes in base64 (openssl rand -base64 32), the key to the SSH keys and channel"
              + " secrets stored in the database (or a file holding it in PATCHLOOP_SECRETS_MASTER_KEY_FILE)"));
      return;
    }
    if (settings.suppliedAtStart(MASTER_KEY_FILE)) {
      return;
    }
    try {
      MasterKeyFormat.decode(Files.readString(Path.of(file)));
    } catch (IOException e) {
      problems.add(new SettingProblem(MASTER_KEY_FILE, "PATCHLOOP_SECRETS_MASTER_KEY_FILE",
          "cannot read " + file + " (" + e.getClass().getSimpleName() + ")"));
    } catch (IllegalArgumentException e) {
      problems.add(new SettingProblem(MASTER_KEY_FILE, "PATCHLOOP_SECRETS_MASTER_KEY_FILE",
          "the key in " + file + " " + e.getMessage()));
    }
  }
}
