package io.patchloop.collect;

import static org.assertj.core.api.Assertions.assertThat;

import io.patchloop.inventory.InstalledPackage;
import io.patchloop.rpm.Evr;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BootReadingTest {

  /**
   * A host started at 899.6 (PID 1's start, whole: 899), read at 1000.2 with 100.60 s of uptime:
   * {@code date +%s} says 1000. Its clock boot is 899.6, in [1000 - 100.6, 1001 - 100.6); the lower
   * bound's whole second is 899. The truncated uptime (1000 - 100) said 900, the second after the
   * boot, so a kernel installed in second 900 would not have counted as installed after boot, though
   * dnf needs-restarting (900 > 899.6) reports it.
   */
  @Test
  void theClockBootIsTheLowerBoundOfWhatATruncatedClockAllows() {
    BootReading reading = BootReading.parse("1000\n899\n100.60\n");
    assertThat(reading.clockBootSeconds()).isEqualTo(899);
    assertThat(reading.bootTime()).isEqualTo(Instant.ofEpochSecond(899));
    assertThat(RebootHint.evaluate("dnf", List.of(kernelInstalledAt(900)), reading.bootTime(),
        Map.of()).needed()).as("a kernel installed in the second after the boot").isTrue();
  }

  @Test
  void wholeUptimesAndTheLaterOfTheTwoReadings() {
    assertThat(BootReading.parse("1000\n0\n100\n").bootTime()).isEqualTo(Instant.ofEpochSecond(900));
    assertThat(BootReading.parse("1000\n950\n100.5\n").bootTime()).as("PID 1 started later").isEqualTo(
        Instant.ofEpochSecond(950));
  }

  private static InstalledPackage kernelInstalledAt(long second) {
    return new InstalledPackage("kernel", new Evr(0, "5.10.0", "182.hce2"),
        "x86_64", Instant.ofEpochSecond(second));
  }
}
