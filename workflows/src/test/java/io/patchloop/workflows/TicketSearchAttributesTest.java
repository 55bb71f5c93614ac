package io.patchloop.workflows;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The cluster set-up script and the code must name the same search attributes, or tickets fail to start on a real cluster. */
class TicketSearchAttributesTest {

  @Test
  void theSetupScriptCreatesEverySearchAttributeTheWorkflowsSet() throws Exception {
    String script = Files.readString(Path.of("..", "infra", "temporal", "setup-patchloop.sh"));
    for (var key : TicketSearchAttributes.ALL) {
      assertThat(script).contains("\"" + key.getName() + ":Keyword\"");
    }
  }
}
