package io.patchloop.collect;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The collector's command lines as they reach a host's shell. */
class CollectorScriptTest {

  static final String NONCE = "0123456789abcdef";

  /**
   * The probe runs the releasever query and the cache listing as their classes wrote them: the
   * script is a format string, so a {@code %} of theirs must reach the shell as one {@code %}
   * (printf's {@code %s}, rpm's {@code %{NAME}}, stat's {@code %Y}), not doubled or eaten.
   */
  @Test
  void theProbeRunsTheQueriesAsWritten() {
    assertThat(CollectorScript.probe(NONCE).line())
        .contains(ReleaseverQuery.RPM_QUERY)
        .contains(RepoCacheListing.LISTING_COMMAND);
    assertThat(CollectorScript.refresh(NONCE, "dnf", List.of("lab-demo")).line())
        .contains(RepoCacheListing.LISTING_COMMAND);
  }
}
