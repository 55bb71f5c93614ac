package io.patchloop.collect;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The collector command lines {@code infra/testhosts/capture-fixtures} runs on lab hosts to capture
 * {@code probe.txt} and {@code refresh.txt}: written into the fixtures directory from
 * {@link CollectorScript}, with the fixed nonce {@link #NONCE}, so the captured output is the current
 * script's. When the script changes this test fails until the command files are written again
 * ({@code -Dpatchloop.fixtures=write-commands}) and the fixtures captured again.
 */
class CapturedCommandLinesTest {

  /** The nonce of every captured framed output. */
  static final String NONCE = "0123456789abcdef";
  /** The repository the refresh fixture names: the demo profile's only one. */
  static final String REFRESHED_REPO = "lab-demo";

  static final String PROBE_FILE = "probe-command.sh";
  static final String REFRESH_FILE = "refresh-command.sh";

  /** As the file holds it: the line and one newline (capture-fixtures writes them back so). */
  static String probeLine() {
    return CollectorScript.probe(NONCE).line().stripTrailing() + "\n";
  }

  static String refreshLine() {
    return CollectorScript.refresh(NONCE, "dnf", List.of(REFRESHED_REPO)).line().stripTrailing() + "\n";
  }

  @Test
  void theCommandFilesAreTheCurrentScripts() throws IOException {
    if ("write-commands".equals(System.getProperty("patchloop.fixtures"))) {
      Files.writeString(Fixtures.DIR.resolve(PROBE_FILE), probeLine());
      Files.writeString(Fixtures.DIR.resolve(REFRESH_FILE), refreshLine());
    }
    assertThat(Fixtures.read(PROBE_FILE)).as("fixtures/" + PROBE_FILE + " is the current probe; if not, write it"
        + " (-Dpatchloop.fixtures=write-commands) and run capture-fixtures").isEqualTo(probeLine());
    assertThat(Fixtures.read(REFRESH_FILE)).as("fixtures/" + REFRESH_FILE).isEqualTo(refreshLine());
  }
}
