package io.patchloop.production;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.patchloop.api.ApiApplication;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.event.ApplicationContextInitializedEvent;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * Starts the API application as its main method does, with the production profile, and reads the
 * console: every missing or invalid setting is named at once, in Spring Boot's failure report,
 * without a stack trace. Settings are given as command-line arguments, which outrank the
 * environment variables an operator would set.
 */
@ExtendWith(OutputCaptureExtension.class)
class ApiProductionStartTest {

  /** Thrown once the context is being prepared, i.e. after the check passed, so nothing connects anywhere. */
  static final class PastTheCheck extends RuntimeException {
    PastTheCheck() {
      super("the production check passed", null, false, false);
    }
  }

  static void start(String... args) {
    SpringApplication app = new SpringApplication(ApiApplication.class);
    app.setAdditionalProfiles("api");
    app.addListeners((ApplicationContextInitializedEvent event) -> {
      throw new PastTheCheck();
    });
    List<String> all = new ArrayList<>(List.of("--spring.profiles.active=production", "--server.port=0"));
    all.addAll(List.of(args));
    app.run(all.toArray(String[]::new));
  }

  static void assertReportWithoutStackTrace(CapturedOutput output) {
    assertThat(output.getAll())
        .contains("APPLICATION FAILED TO START", "Description:", "Action:")
        .doesNotContain("at io.patchloop", "Caused by", "\tat org.springframework");
  }

  @Test
  void nothingSetNamesEverySettingAtOnce(CapturedOutput output) {
    assertThatThrownBy(ApiProductionStartTest::start).isInstanceOf(ProductionSettingsException.class);
    assertReportWithoutStackTrace(output);
    assertThat(output.getAll()).contains(
        "spring.datasource.url (PATCHLOOP_DB_URL): not set",
        "spring.datasource.username (PATCHLOOP_DB_USER): not set",
        "spring.datasource.password (PATCHLOOP_DB_PASSWORD): not set",
        "spring.temporal.connection.target (PATCHLOOP_TEMPORAL_TARGET): not set",
        "spring.temporal.namespace (PATCHLOOP_TEMPORAL_NAMESPACE): not set",
        "patchloop.secrets.master-key (PATCHLOOP_SECRETS_MASTER_KEY): not set",
        "patchloop.security.tokens (PATCHLOOP_SECURITY_TOKENS_0_NAME, PATCHLOOP_SECURITY_TOKENS_0_TOKEN,"
            + " PATCHLOOP_SECURITY_TOKENS_0_ROLE): none configured",
        "7 of them are missing or not valid");
  }

  static final String[] DATABASE_AND_TEMPORAL = {
    "--spring.datasource.url=jdbc:mysql://127.0.0.1:3306/patchloop_start_check",
    "--spring.datasource.username=root",
    "--spring.datasource.password=",
    "--spring.temporal.connection.target=127.0.0.1:7233",
    "--spring.temporal.namespace=default",
  };

  static String[] with(String... more) {
    List<String> all = new ArrayList<>(List.of(DATABASE_AND_TEMPORAL));
    all.addAll(List.of(more));
    return all.toArray(String[]::new);
  }

  @Test
  void anInvalidMasterKeyAndATooShortTokenAreBothNamed(CapturedOutput output) {
    String nineBytes = Base64.getEncoder().encodeToString("not-a-key".getBytes());
    assertThatThrownBy(() -> start(with(
        "--patchloop.secrets.master-key=" + nineBytes,
        "--patchloop.security.tokens[0].name=ops",
        "--patchloop.security.tokens[0].token=short",
        "--patchloop.security.tokens[0].role=ADMIN")))
        .isInstanceOf(ProductionSettingsException.class);
    assertReportWithoutStackTrace(output);
    assertThat(output.getAll())
        .contains("2 of them are missing or not valid",
            "patchloop.secrets.master-key (PATCHLOOP_SECRETS_MASTER_KEY): the key is 9 bytes; it must be 32 bytes",
            "patchloop.security.tokens[0].token (PATCHLOOP_SECURITY_TOKENS_0_TOKEN): is 5 characters; at least 24")
        .doesNotContain("spring.datasource.url (", nineBytes, "=short");
  }

  @Test
  void everyTokenProblemIsNamedWithItsIndex(CapturedOutput output) {
    String secret = "a-token-long-enough-for-the-api-0123";
    assertThatThrownBy(() -> start(with(
        "--patchloop.secrets.master-key=" + Base64.getEncoder().encodeToString(new byte[32]),
        "--patchloop.security.tokens[0].name=ops",
        "--patchloop.security.tokens[0].token=" + secret,
        "--patchloop.security.tokens[0].role=ROOT",
        "--patchloop.security.tokens[1].name=itsm",
        "--patchloop.security.tokens[1].token=" + secret,
        "--patchloop.security.tokens[1].role=operator",
        "--patchloop.security.tokens[2].token=another-token-long-enough-for-it")))
        .isInstanceOf(ProductionSettingsException.class);
    assertReportWithoutStackTrace(output);
    assertThat(output.getAll())
        .contains("4 of them are missing or not valid",
            "patchloop.security.tokens[0].role (PATCHLOOP_SECURITY_TOKENS_0_ROLE): is not a role; one of VIEWER, OPERATOR, ADMIN",
            "patchloop.security.tokens[1].token (PATCHLOOP_SECURITY_TOKENS_1_TOKEN): repeats the secret of"
                + " patchloop.security.tokens[0]",
            "patchloop.security.tokens[2].name (PATCHLOOP_SECURITY_TOKENS_2_NAME): not set",
            "patchloop.security.tokens[2].role (PATCHLOOP_SECURITY_TOKENS_2_ROLE): not set")
        .doesNotContain(secret);
  }

  @Test
  void completeSettingsPassTheCheck(CapturedOutput output) {
    assertThatThrownBy(() -> start(with(
        "--patchloop.secrets.master-key=" + Base64.getEncoder().encodeToString(new byte[32]),
        "--patchloop.security.tokens[0].name=ops",
        "--patchloop.security.tokens[0].token=a-token-long-enough-for-the-api-0123",
        "--patchloop.security.tokens[0].role=ADMIN")))
        .isInstanceOf(PastTheCheck.class);
    assertThat(output.getAll()).doesNotContain("APPLICATION FAILED TO START");
  }

  @Test
  void withoutTheProductionProfileNothingIsAsked() {
    SpringApplication app = new SpringApplication(ApiApplication.class);
    app.setAdditionalProfiles("api");
    app.addListeners((ApplicationContextInitializedEvent event) -> {
      throw new PastTheCheck();
    });
    assertThatThrownBy(() -> app.run("--server.port=0")).isInstanceOf(PastTheCheck.class);
  }
}
