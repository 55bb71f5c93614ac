package io.patchloop.production;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.patchloop.worker.WorkerApplication;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * Starts the worker application as its main method does, with the production profile and nothing
 * set: the same report as the API's, without the API's tokens (the worker serves no API).
 */
@ExtendWith(OutputCaptureExtension.class)
class WorkerProductionStartTest {

  @Test
  void nothingSetNamesEveryWorkerSettingAtOnce(CapturedOutput output) {
    SpringApplication app = new SpringApplication(WorkerApplication.class);
    app.setAdditionalProfiles("worker");
    assertThatThrownBy(() -> app.run("--spring.profiles.active=production", "--server.port=0"))
        .isInstanceOf(ProductionSettingsException.class);
    assertThat(output.getAll())
        .contains("APPLICATION FAILED TO START",
            "6 of them are missing or not valid",
            "spring.datasource.url (PATCHLOOP_DB_URL): not set",
            "spring.datasource.username (PATCHLOOP_DB_USER): not set",
            "spring.datasource.password (PATCHLOOP_DB_PASSWORD): not set",
            "spring.temporal.connection.target (PATCHLOOP_TEMPORAL_TARGET): not set",
            "spring.temporal.namespace (PATCHLOOP_TEMPORAL_NAMESPACE): not set",
            "patchloop.secrets.master-key (PATCHLOOP_SECRETS_MASTER_KEY): not set")
        .doesNotContain("patchloop.security.tokens", "at io.patchloop", "Caused by", "\tat org.springframework");
  }
}
