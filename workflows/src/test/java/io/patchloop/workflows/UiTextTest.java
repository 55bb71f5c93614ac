package io.patchloop.workflows;

import static org.assertj.core.api.Assertions.assertThat;

import io.temporal.common.converter.DefaultDataConverter;
import org.junit.jupiter.api.Test;

/** Summaries are cut so that a Temporal server, which refuses a summary payload over 400 bytes, takes them. */
class UiTextTest {

  static int payloadBytes(String text) {
    return DefaultDataConverter.STANDARD_INSTANCE.toPayload(text).orElseThrow().getSerializedSize();
  }

  @Test
  void aShortTextStaysWhole() {
    assertThat(UiText.summary("scan lab01 127.0.0.1:2201")).isEqualTo("scan lab01 127.0.0.1:2201");
  }

  @Test
  void aLongTextIsCutWithinTheServersLimitWhateverItsCharacters() {
    for (String unit : new String[] {"a", "\"", "\\", "\u0001", "é", "·", "漢", "😀"}) {
      String text = "scan " + unit.repeat(500);
      String cut = UiText.summary(text);
      assertThat(cut).as(unit).endsWith("…").startsWith("scan ");
      assertThat(payloadBytes(cut)).as(unit).isLessThanOrEqualTo(400);
      // never half a character: the cut text is a prefix of whole code points
      assertThat(text).startsWith(cut.substring(0, cut.length() - 1));
      assertThat(Character.isHighSurrogate(cut.charAt(cut.length() - 2))).isFalse();
    }
  }

  @Test
  void detailsAreCutWithinTheirOwnLimit() {
    String cut = UiText.details("- host\n".repeat(5_000));
    assertThat(cut).endsWith("…");
    assertThat(payloadBytes(cut)).isLessThanOrEqualTo(20_000);
  }
}
