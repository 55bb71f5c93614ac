package io.patchloop.production;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

/** The core requirements over an environment built here (no Spring application needed to ask them). */
class ProductionSettingsCheckTest {

  static final String VALID_KEY = Base64.getEncoder().encodeToString(new byte[32]);

  static Map<String, Object> complete() {
    Map<String, Object> p = new HashMap<>();
    p.put("spring.datasource.url", "jdbc:mysql://db.internal:3306/patchloop");
    p.put("spring.datasource.username", "patchloop");
    p.put("spring.datasource.password", "secret");
    p.put("spring.temporal.connection.target", "temporal.internal:7233");
    p.put("spring.temporal.namespace", "patchloop");
    p.put("patchloop.secrets.master-key", VALID_KEY);
    return p;
  }

  static List<SettingProblem> problems(Map<String, Object> properties) {
    StandardEnvironment environment = new StandardEnvironment();
    // only what the test gives: the machine's own variables must not fill anything in
    environment.getPropertySources().remove(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME);
    environment.getPropertySources().remove(StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME);
    environment.getPropertySources().addFirst(new MapPropertySource("test", properties));
    return ProductionSettingsCheck.problems(environment, List.of(new CoreProductionRequirement()));
  }

  static List<String> properties(List<SettingProblem> problems) {
    return problems.stream().map(SettingProblem::property).toList();
  }

  @Test
  void completeSettingsPass() {
    assertThat(problems(complete())).isEmpty();
  }

  @Test
  void anEmptyPasswordSetOnPurposeIsKeptAsToday() {
    Map<String, Object> p = complete();
    p.put("spring.datasource.password", "");
    assertThat(problems(p)).isEmpty();
  }

  @Test
  void nothingSetNamesEverySettingWithItsVariable() {
    List<SettingProblem> problems = problems(Map.of());
    assertThat(problems).extracting(SettingProblem::describe).allMatch(d -> d.contains(": not set"));
    assertThat(problems).extracting(p -> p.property() + "=" + p.environmentVariable()).containsExactly(
        "spring.datasource.url=PATCHLOOP_DB_URL",
        "spring.datasource.username=PATCHLOOP_DB_USER",
        "spring.datasource.password=PATCHLOOP_DB_PASSWORD",
        "spring.temporal.connection.target=PATCHLOOP_TEMPORAL_TARGET",
        "spring.temporal.namespace=PATCHLOOP_TEMPORAL_NAMESPACE",
        "patchloop.secrets.master-key=PATCHLOOP_SECRETS_MASTER_KEY");
  }

  @Test
  void aPlaceholderWithoutItsVariableCountsAsNotSet() {
    Map<String, Object> p = complete();
    // as the production part of patchloop-common.yaml writes it
    p.put("spring.datasource.url", "${PATCHLOOP_TEST_VARIABLE_NOBODY_SETS}");
    assertThat(problems(p)).extracting(SettingProblem::describe)
        .containsExactly("spring.datasource.url (PATCHLOOP_DB_URL): not set; the JDBC URL of the MySQL 8 or"
            + " MariaDB 10.6+ database, jdbc:mysql://host:3306/patchloop?...");
  }

  @Test
  void blankValuesAndAUrlThatIsNotJdbcAreRefused() {
    Map<String, Object> p = complete();
    p.put("spring.datasource.url", "db.internal:3306");
    p.put("spring.temporal.namespace", " ");
    assertThat(problems(p)).extracting(SettingProblem::describe).containsExactly(
        "spring.datasource.url (PATCHLOOP_DB_URL): is not a JDBC URL; it starts jdbc:mysql://host:3306/patchloop?...",
        "spring.temporal.namespace (PATCHLOOP_TEMPORAL_NAMESPACE): is empty; the Temporal namespace Patchloop's"
            + " workflows run in (e.g. patchloop)");
  }

  @Test
  void simulatedHostsAreRefusedInProduction() {
    Map<String, Object> p = complete();
    p.put("patchloop.simulation.enabled", "true");
    assertThat(problems(p)).extracting(SettingProblem::describe).containsExactly(
        "patchloop.simulation.enabled (PATCHLOOP_SIMULATION_ENABLED): is true; simulated hosts are for scale runs"
            + " only, their reports describe no real host: remove it");
    p.put("patchloop.simulation.enabled", "false");
    assertThat(problems(p)).isEmpty();
  }

  @Test
  void aMasterKeyOfTheWrongLengthOrNotBase64IsNamedWithoutBeingRepeated() {
    Map<String, Object> p = complete();
    String shortKey = Base64.getEncoder().encodeToString(new byte[16]);
    p.put("patchloop.secrets.master-key", shortKey);
    assertThat(problems(p)).extracting(SettingProblem::describe).containsExactly(
        "patchloop.secrets.master-key (PATCHLOOP_SECRETS_MASTER_KEY): the key is 16 bytes; it must be 32 bytes"
            + " in base64 (openssl rand -base64 32)");
    p.put("patchloop.secrets.master-key", "not base64 at all!");
    assertThat(problems(p)).extracting(SettingProblem::describe).containsExactly(
        "patchloop.secrets.master-key (PATCHLOOP_SECRETS_MASTER_KEY): the key is not valid base64");
  }

  @Test
  void aMasterKeyFileDoesInsteadOfTheVariable(@TempDir Path dir) throws Exception {
    Map<String, Object> p = complete();
    p.put("patchloop.secrets.master-key", "");
    Path file = dir.resolve("master.key");
    Files.writeString(file, VALID_KEY + "\n");
    p.put("patchloop.secrets.master-key-file", file.toString());
    assertThat(problems(p)).isEmpty();

    Files.writeString(file, "c2hvcnQ=\n");
    assertThat(problems(p)).extracting(SettingProblem::describe).containsExactly(
        "patchloop.secrets.master-key-file (PATCHLOOP_SECRETS_MASTER_KEY_FILE): the key in " + file
            + " is 5 bytes; it must be 32 bytes in base64 (openssl rand -base64 32)");

    p.put("patchloop.secrets.master-key-file", dir.resolve("missing.key").toString());
    assertThat(problems(p)).extracting(SettingProblem::describe).containsExactly(
        "patchloop.secrets.master-key-file (PATCHLOOP_SECRETS_MASTER_KEY_FILE): cannot read "
            + dir.resolve("missing.key") + " (NoSuchFileException)");
  }

  @Test
  void settingsTheProcessSuppliesItselfAreNotAskedFor() {
    Map<String, Object> p = new HashMap<>();
    p.put(ProductionSettings.SUPPLIED_AT_START, "spring.datasource.url, spring.datasource.username,"
        + " spring.datasource.password, spring.temporal.connection.target, patchloop.secrets.master-key-file");
    p.put("patchloop.secrets.master-key-file", "/nowhere/yet/master.key");
    assertThat(properties(problems(p))).containsExactly("spring.temporal.namespace");
  }
}
