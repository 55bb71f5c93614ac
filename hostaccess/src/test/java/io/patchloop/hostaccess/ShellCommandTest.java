package io.patchloop.hostaccess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.patchloop.inventory.SafeValues;
import java.util.List;
import org.junit.jupiter.api.Test;

class ShellCommandTest {

  @Test
  void quotesCheckedValuesAfterConstantWords() {
    var cmd = ShellCommand.of("dnf", "-y", "upgrade", "--advisory")
        .value("RHSA-2024:1234", SafeValues.ADVISORY_ID, "advisory id")
        .value("openssl-1:1.1.1m-28.hce2.x86_64", SafeValues.NEVRA, "package")
        .build();
    assertThat(cmd.line()).isEqualTo("dnf -y upgrade --advisory 'RHSA-2024:1234' 'openssl-1:1.1.1m-28.hce2.x86_64'");
  }

  @Test
  void refusesValuesThatAShellOrAPackageManagerWouldReadAsSomethingElse() {
    for (String hostile : List.of("$(reboot)", "a;rm -rf /", "-oProxyCommand=x", "pkg name", "x`id`", "a\nb", "")) {
      assertThatThrownBy(() -> ShellCommand.of("dnf", "install").value(hostile, SafeValues.PACKAGE_NAME, "package"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("not passed to a shell");
    }
    assertThatThrownBy(() -> ShellCommand.of("dnf").value(null, SafeValues.ADVISORY_ID, "advisory id"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void givesALocalProcessTheValuesAsArgumentsThatNoShellParses() throws Exception {
    var cmd = ShellCommand.of("printf '%s|'")
        .option("--exclude=", "kernel*", java.util.regex.Pattern.compile("[a-z*]+"), "glob")
        .value("openssl-1:1.1.1m-28.hce2.x86_64", SafeValues.NEVRA, "package")
        .build();
    assertThat(cmd.line()).isEqualTo("printf '%s|' --exclude='kernel*' 'openssl-1:1.1.1m-28.hce2.x86_64'");
    assertThat(cmd.argv()).containsExactly("/bin/sh", "-c", "printf '%s|' \"$@\"", "patchloop", "--exclude=kernel*",
        "openssl-1:1.1.1m-28.hce2.x86_64");
    // run both forms: the same words reach printf, and the glob is not expanded against files
    Process viaArgv = new ProcessBuilder(cmd.argv()).directory(new java.io.File("/")).start();
    Process viaLine = new ProcessBuilder("/bin/sh", "-c", cmd.line()).directory(new java.io.File("/")).start();
    String expected = "--exclude=kernel*|openssl-1:1.1.1m-28.hce2.x86_64|";
    assertThat(new String(viaArgv.getInputStream().readAllBytes())).isEqualTo(expected);
    assertThat(new String(viaLine.getInputStream().readAllBytes())).isEqualTo(expected);
  }

  @Test
  void aConstantScriptRunsAsItIs() {
    assertThat(ShellCommand.constant("uname -r").argv()).containsExactly("/bin/sh", "-c", "uname -r");
  }

  @Test
  void singleQuotingKeepsEverythingLiteral() {
    assertThat(ShellCommand.quote("it's")).isEqualTo("'it'\\''s'");
  }
}
