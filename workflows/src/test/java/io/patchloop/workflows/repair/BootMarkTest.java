package io.patchloop.workflows.repair;

import static org.assertj.core.api.Assertions.assertThat;

import io.temporal.common.converter.DefaultDataConverter;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class BootMarkTest {

  private static final long BOOT = 1_796_000_000L;
  /** A lab host or container: the kernel's boot id never changes. */
  private static final String SHARED_KERNEL = "4f1c";

  private static BootMark mark(String bootId, long initStart, long clockBoot) {
    return new BootMark(bootId, Math.max(initStart, clockBoot), initStart, clockBoot);
  }

  @Test
  void aChangedBootIdIsANewBoot() {
    assertThat(mark("b", BOOT, BOOT).isLaterBootThan(mark("a", BOOT, BOOT))).isTrue();
  }

  /** The flake of RepairTicketEndToEndTest: the machine's clock was stepped 6 s, now - uptime moved, PID 1 did not. */
  @Test
  void aSteppedClockIsNotAReboot() {
    BootMark before = mark(SHARED_KERNEL, BOOT, BOOT - 1);
    assertThat(mark(SHARED_KERNEL, BOOT, BOOT + 5).isLaterBootThan(before)).isFalse();
  }

  @Test
  void procfsLookingUpPidOneAfreshIsNotAReboot() {
    BootMark before = mark(SHARED_KERNEL, BOOT, BOOT - 1);
    assertThat(mark(SHARED_KERNEL, BOOT + 600, BOOT - 1).isLaterBootThan(before)).isFalse();
  }

  @Test
  void aContainerThatBootedAgainMovesBoth() {
    BootMark before = mark(SHARED_KERNEL, BOOT, BOOT - 1);
    assertThat(mark(SHARED_KERNEL, BOOT + 30, BOOT + 29).isLaterBootThan(before)).isTrue();
    assertThat(mark(SHARED_KERNEL, BOOT + 1, BOOT).isLaterBootThan(before)).as("within the jitter").isFalse();
  }

  /** A mark recorded by an older release has only dnf's boot time: compared by it, as then. */
  @Test
  void aMarkOfAnOlderReleaseIsComparedByItsBootTime() {
    var converter = DefaultDataConverter.newDefaultInstance();
    var payload = converter.toPayload(new BootMark(null, BOOT)).orElseThrow().toBuilder()
        .setData(com.google.protobuf.ByteString.copyFrom("{\"bootId\":null,\"bootTimeSeconds\":" + BOOT + "}",
            StandardCharsets.UTF_8))
        .build();
    BootMark old = converter.fromPayload(payload, BootMark.class, BootMark.class);
    assertThat(old).isEqualTo(new BootMark(null, BOOT));
    assertThat(mark(null, BOOT + 10, BOOT + 10).isLaterBootThan(old)).isTrue();
    assertThat(mark(null, BOOT, BOOT + 1).isLaterBootThan(old)).isFalse();
  }
}
