package io.patchloop.collect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.patchloop.baselines.PatchCategory;
import io.patchloop.baselines.PatchSeverity;
import io.patchloop.hostaccess.HostAccessException;
import io.patchloop.inventory.Advisory;
import io.patchloop.rpm.Evr;
import io.patchloop.workflows.host.HostErrorKind;
import java.time.Instant;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class UpdateInfoParserTest {

  static Map<String, Advisory> byTitleKey(String profile) {
    return UpdateInfoParser.parse(Fixtures.read(profile + "/updateinfo.xml"), profile).advisories().stream()
        .collect(Collectors.toMap(Advisory::id, Function.identity()));
  }

  @Test
  void readsTheDemoRepositoryAsWritten() {
    var result = UpdateInfoParser.parse(Fixtures.read("demo/updateinfo.xml"), "demo");
    assertThat(result.dropped()).isZero();
    assertThat(result.advisories()).hasSize(11);
    Advisory kernel = result.advisories().stream().filter(a -> a.title().startsWith("kernel")).findFirst().orElseThrow();
    assertThat(kernel.rebootSuggested()).isTrue();
    assertThat(kernel.category()).isEqualTo(PatchCategory.SECURITY);
    assertThat(kernel.severity()).isEqualTo(PatchSeverity.IMPORTANT);
    assertThat(kernel.packages()).extracting(p -> p.name()).containsExactlyInAnyOrder("kernel", "kernel-core");
    assertThat(kernel.cves()).hasSizeGreaterThanOrEqualTo(1).allMatch(c -> c.startsWith("CVE-"));
    Advisory curl = result.advisories().stream().filter(a -> a.title().equals("curl and libcurl security update"))
        .findFirst().orElseThrow();
    assertThat(curl.packages()).as("one advisory fixing two packages").hasSize(2);
    Advisory enhancement = result.advisories().stream().filter(a -> a.type().equals("enhancement")).findFirst().orElseThrow();
    assertThat(enhancement.severity()).isEqualTo(PatchSeverity.NONE);
    assertThat(result.advisories()).allSatisfy(a -> assertThat(a.issued()).isAfter(Instant.parse("2020-01-01T00:00:00Z")));
  }

  @Test
  void readsEveryQuirk() {
    var advisories = UpdateInfoParser.parse(Fixtures.read("quirks/updateinfo.xml"), "quirks").advisories();
    Advisory dateOnly = advisories.stream().filter(a -> a.packages().get(0).name().equals("kernel")
        && a.issued().equals(a.issued().truncatedTo(java.time.temporal.ChronoUnit.DAYS))).findFirst().orElseThrow();
    assertThat(dateOnly.issued()).as("a date alone is 00:00 UTC").isAfter(Instant.parse("2020-01-01T00:00:00Z"));
    Advisory lowercase = advisories.stream().filter(a -> a.packages().get(0).name().equals("ntp")).findFirst().orElseThrow();
    assertThat(lowercase.severity()).isEqualTo(PatchSeverity.IMPORTANT);
    assertThat(lowercase.packages().get(0).evr().epoch()).isEqualTo(2);
    Advisory unknownType = advisories.stream().filter(a -> a.type().equals("other")).findFirst().orElseThrow();
    assertThat(unknownType.category()).isNull();
    assertThat(unknownType.packages().get(0).arch()).isEqualTo("noarch");
    Advisory caret = advisories.stream().filter(a -> a.packages().get(0).name().equals("zstd")).findFirst().orElseThrow();
    assertThat(caret.packages().get(0).evr().version()).contains("^");
    assertThat(caret.category()).as("type security-ish is not security").isNull();
    Advisory epochSeconds = advisories.stream().filter(a -> a.type().equals("bugfix")).findFirst().orElseThrow();
    assertThat(epochSeconds.issued()).isAfter(Instant.parse("2020-01-01T00:00:00Z"));
  }

  @Test
  void readsTheBulkRepository() {
    var result = UpdateInfoParser.parse(Fixtures.read("bulk/updateinfo.xml"), "bulk");
    assertThat(result.advisories()).hasSizeGreaterThanOrEqualTo(200);
    assertThat(result.advisories()).allSatisfy(a -> assertThat(a.id()).startsWith("openEuler-"));
  }

  @Test
  void parsesTheDateFormsRepositoriesWrite() {
    assertThat(UpdateInfoParser.parseIssued("2025-03-04")).isEqualTo(Instant.parse("2025-03-04T00:00:00Z"));
    assertThat(UpdateInfoParser.parseIssued("2025-03-04 10:11:12")).isEqualTo(Instant.parse("2025-03-04T10:11:12Z"));
    assertThat(UpdateInfoParser.parseIssued("2025-03-04 10:11:12 UTC")).isEqualTo(Instant.parse("2025-03-04T10:11:12Z"));
    assertThat(UpdateInfoParser.parseIssued("1741083072")).isEqualTo(Instant.ofEpochSecond(1741083072));
    assertThat(UpdateInfoParser.parseIssued("soon")).isNull();
    // a time a report's TIMESTAMP column cannot hold is no usable date (HostDataLimits.storableTime)
    assertThat(UpdateInfoParser.parseIssued("99999999999")).isNull();
    assertThat(UpdateInfoParser.parseIssued("2040-01-01")).isNull();
    assertThat(UpdateInfoParser.parseIssued("1969-12-31 23:59:59")).isNull();
    assertThat(UpdateInfoParser.parseIssued("2025-13-45")).isNull();
  }

  /** yum repositories (CentOS 7) write the same format with some extras: updated dates, sums, per-update reboot flags. */
  @Test
  void readsYumStyleUpdateinfo() {
    String xml = """
        <?xml version="1.0" encoding="UTF-8"?>
        <updates>
          <update from="centos-announce@centos.org" status="final" type="security" version="1">
            <id>CESA-2024:0346</id>
            <title>Important CentOS kernel Security Update</title>
            <issued date="2024-01-31 00:00:00"/>
            <updated date="2024-02-01 00:00:00"/>
            <severity>Important</severity>
            <release>CentOS 7</release>
            <references><reference href="https://access.redhat.com/errata/RHSA-2024:0346" id="CVE-2023-4622" type="cve"/></references>
            <description>kernel</description>
            <pkglist>
              <collection short="centos-7">
                <name>centos-7</name>
                <package arch="x86_64" epoch="0" name="kernel" release="1160.108.1.el7" src="kernel-3.10.0-1160.108.1.el7.src.rpm" version="3.10.0">
                  <filename>kernel-3.10.0-1160.108.1.el7.x86_64.rpm</filename>
                  <sum type="sha256">8f2b</sum>
                  <reboot_suggested>True</reboot_suggested>
                </package>
              </collection>
            </pkglist>
          </update>
        </updates>
        """;
    Advisory a = UpdateInfoParser.parse(xml, "base").advisories().get(0);
    assertThat(a.id()).isEqualTo("CESA-2024:0346");
    assertThat(a.rebootSuggested()).isTrue();
    assertThat(a.packages().get(0).evr()).isEqualTo(new Evr(0, "3.10.0", "1160.108.1.el7"));
    assertThat(a.issued()).isEqualTo(Instant.parse("2024-01-31T00:00:00Z"));
  }

  @Test
  void dropsAdvisoriesWhoseIdOrPackageCouldReachACommandLine() {
    String xml = """
        <updates>
          <update type="security"><id>OK-2024-1</id><pkglist><collection>
            <package name="bash" epoch="0" version="5.1" release="1" arch="x86_64"/></collection></pkglist></update>
          <update type="security"><id>$(reboot)</id><pkglist><collection>
            <package name="bash" epoch="0" version="5.1" release="1" arch="x86_64"/></collection></pkglist></update>
          <update type="security"><id>BAD-2024-2</id><pkglist><collection>
            <package name="-oProxyCommand=x" epoch="0" version="5.1" release="1" arch="x86_64"/></collection></pkglist></update>
          <update type="security"><id>BAD-2024-3</id><pkglist><collection>
            <package name="bash" epoch="0" version="5.1;id" release="1" arch="x86_64"/></collection></pkglist></update>
        </updates>
        """;
    var result = UpdateInfoParser.parse(xml, "hostile");
    assertThat(result.advisories()).extracting(Advisory::id).containsExactly("OK-2024-1");
    assertThat(result.dropped()).isEqualTo(3);
  }

  @Test
  void refusesDoctypesAndExternalEntities() {
    String xxe = """
        <?xml version="1.0"?>
        <!DOCTYPE updates [<!ENTITY x SYSTEM "file:///etc/passwd">]>
        <updates><update type="security"><id>X-1</id><title>&x;</title></update></updates>
        """;
    assertThatThrownBy(() -> UpdateInfoParser.parse(xxe, "evil"))
        .isInstanceOfSatisfying(HostAccessException.class, e -> assertThat(e.kind()).isEqualTo(HostErrorKind.OUTPUT_UNPARSEABLE));
    assertThatThrownBy(() -> UpdateInfoParser.parse("<updates><update>", "cut"))
        .isInstanceOf(HostAccessException.class).hasMessageContaining("not well-formed");
  }
}
