package io.patchloop.worker.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentConfigTest {

  static final Map<String, String> MINIMAL = Map.of("PATCHLOOP_AGENT_HOST_ID", "42",
      "PATCHLOOP_AGENT_TEMPORAL_TARGET", "temporal.example.com:7233");

  @Test
  void readsTheMinimalConfigWithDefaults() {
    AgentConfig c = AgentConfig.from(MINIMAL, List.of("--insecure-plaintext"));
    assertThat(c.hostId()).isEqualTo(42);
    assertThat(c.temporalTarget()).isEqualTo("temporal.example.com:7233");
    assertThat(c.namespace()).isEqualTo("default");
    assertThat(c.reportInterval()).isEqualTo(Duration.ofSeconds(30));
    assertThat(c.tls()).isFalse();
  }

  /** Review M7: an agent runs what it is sent as root; over plaintext anyone on the path could send it. */
  @Test
  void refusesToStartWithoutTlsSettingsNamingThem() {
    assertThatThrownBy(() -> AgentConfig.fromEnvironment(MINIMAL))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no TLS settings")
        .hasMessageContaining("PATCHLOOP_AGENT_TLS_CA")
        .hasMessageContaining("PATCHLOOP_AGENT_TLS_CERT and PATCHLOOP_AGENT_TLS_KEY")
        .hasMessageContaining("--insecure-plaintext")
        .hasMessageContaining("PATCHLOOP_AGENT_INSECURE_PLAINTEXT=true");
    Map<String, String> notTrue = new HashMap<>(MINIMAL);
    notTrue.put("PATCHLOOP_AGENT_INSECURE_PLAINTEXT", "false");
    assertThatThrownBy(() -> AgentConfig.fromEnvironment(notTrue)).hasMessageContaining("no TLS settings");
    notTrue.put("PATCHLOOP_AGENT_INSECURE_PLAINTEXT", "yes please");
    assertThatThrownBy(() -> AgentConfig.fromEnvironment(notTrue))
        .hasMessageContaining("PATCHLOOP_AGENT_INSECURE_PLAINTEXT must be true or false");
    assertThatThrownBy(() -> AgentConfig.from(MINIMAL, List.of("--insecure")))
        .hasMessageContaining("unknown argument '--insecure'");
  }

  @Test
  void plaintextChosenExplicitlyIsAcceptedWithAWarning() {
    Map<String, String> env = new HashMap<>(MINIMAL);
    env.put("PATCHLOOP_AGENT_INSECURE_PLAINTEXT", "true");
    for (AgentConfig c : List.of(AgentConfig.fromEnvironment(env), AgentConfig.from(MINIMAL,
        List.of("--insecure-plaintext")))) {
      assertThat(c.insecurePlaintext()).isTrue();
      assertThat(c.tls()).isFalse();
      assertThat(c.plaintextWarning()).contains("temporal.example.com:7233").contains("NOT encrypted")
          .contains("command it").contains("as root").contains("PATCHLOOP_AGENT_TLS_CA");
    }
  }

  @Test
  void withTlsTheFlagChangesNothing(@TempDir Path dir) throws Exception {
    Path ca = Files.writeString(dir.resolve("ca.pem"), "x");
    Map<String, String> env = new HashMap<>(MINIMAL);
    env.put("PATCHLOOP_AGENT_TLS_CA", ca.toString());
    AgentConfig c = AgentConfig.from(env, List.of("--insecure-plaintext"));
    assertThat(c.tls()).isTrue();
    assertThat(c.insecurePlaintext()).isFalse();
    assertThat(c.plaintextWarning()).isNull();
  }

  @Test
  void reportsEveryProblemAtOnce() {
    assertThatThrownBy(() -> AgentConfig.fromEnvironment(Map.of("PATCHLOOP_AGENT_HOST_ID", "0",
        "PATCHLOOP_AGENT_TEMPORAL_TARGET", "temporal;reboot:7233", "PATCHLOOP_AGENT_NAMESPACE", "a b",
        "PATCHLOOP_AGENT_TLS_CERT", "/nonexistent/cert.pem", "PATCHLOOP_AGENT_REPORT_INTERVAL_SECONDS", "0")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("PATCHLOOP_AGENT_HOST_ID")
        .hasMessageContaining("PATCHLOOP_AGENT_TEMPORAL_TARGET")
        .hasMessageContaining("PATCHLOOP_AGENT_NAMESPACE")
        .hasMessageContaining("PATCHLOOP_AGENT_TLS_CERT must be an absolute path of a readable file")
        .hasMessageContaining("TLS_CERT and PATCHLOOP_AGENT_TLS_KEY go together")
        .hasMessageContaining("PATCHLOOP_AGENT_REPORT_INTERVAL_SECONDS");
  }

  @Test
  void takesMutualTlsFiles(@TempDir Path dir) throws Exception {
    Path cert = Files.writeString(dir.resolve("agent.pem"), "x");
    Path key = Files.writeString(dir.resolve("agent.key"), "x");
    Path ca = Files.writeString(dir.resolve("ca.pem"), "x");
    AgentConfig c = AgentConfig.fromEnvironment(Map.of("PATCHLOOP_AGENT_HOST_ID", "7",
        "PATCHLOOP_AGENT_TEMPORAL_TARGET", "10.0.0.5:7233", "PATCHLOOP_AGENT_TLS_CERT", cert.toString(),
        "PATCHLOOP_AGENT_TLS_KEY", key.toString(), "PATCHLOOP_AGENT_TLS_CA", ca.toString(),
        "PATCHLOOP_AGENT_TLS_SERVER_NAME", "temporal.internal"));
    assertThat(c.tls()).isTrue();
    assertThat(c.tlsCa()).isEqualTo(ca);
    assertThat(c.tlsServerName()).isEqualTo("temporal.internal");
  }
}
