package io.patchloop.compliance;

import static io.patchloop.baselines.ComplianceLevel.CRITICAL;
import static io.patchloop.baselines.ComplianceLevel.HIGH;
import static io.patchloop.baselines.ComplianceLevel.INFORMATIONAL;
import static io.patchloop.baselines.ComplianceLevel.LOW;
import static io.patchloop.baselines.ComplianceLevel.MEDIUM;
import static io.patchloop.baselines.ComplianceLevel.UNSPECIFIED;
import static io.patchloop.compliance.PatchState.FAILED;
import static io.patchloop.compliance.PatchState.INSTALLED;
import static io.patchloop.compliance.PatchState.INSTALLED_OTHER;
import static io.patchloop.compliance.PatchState.INSTALLED_PENDING_REBOOT;
import static io.patchloop.compliance.PatchState.INSTALLED_REJECTED;
import static io.patchloop.compliance.PatchState.MISSING;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.patchloop.baselines.ApprovalRule;
import io.patchloop.baselines.Baseline;
import io.patchloop.baselines.ComplianceLevel;
import io.patchloop.baselines.PatchCategory;
import io.patchloop.baselines.PatchSeverity;
import io.patchloop.baselines.RejectedPatchesAction;
import io.patchloop.common.OsFamily;
import io.patchloop.common.Scenario;
import io.patchloop.inventory.Advisory;
import io.patchloop.inventory.AdvisoryPackage;
import io.patchloop.inventory.HostInventory;
import io.patchloop.inventory.InstalledPackage;
import io.patchloop.rpm.Evr;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The compliance rules of docs/COMPLIANCE.md, case by case. */
class ComplianceEngineTest {

  static final Instant NOW = Instant.parse("2025-06-15T12:00:00Z");
  static final Instant LONG_AGO = Instant.parse("2024-01-01T00:00:00Z");
  static final Instant BOOT = Instant.parse("2025-06-01T00:00:00Z");
  static final List<String> ALL = List.of("ALL");

  final ComplianceEngine engine = new ComplianceEngine();

  // ---------------------------------------------------------------------------------------------
  // States

  @Nested
  class States {

    @Test
    void approvedAndInstalledIsInstalled() {
      HostCompliance hc = eval(host().installed("openssl", "1.1-3", "x86_64")
          .with(advisory("SA-1").fixes("openssl", "1.1-2", "x86_64")), approveAllAfter(7, HIGH));

      PatchCompliance p = patch(hc, "SA-1");
      assertThat(p.state()).isEqualTo(INSTALLED);
      assertThat(p.level()).isEqualTo(HIGH);
      assertThat(p.approved()).isTrue();
      assertThat(p.rejected()).isFalse();
      assertThat(p.rebootNeeded()).isFalse();
      assertThat(p.packages()).containsExactly(
          new PackageStatus("openssl", "x86_64", Evr.parse("1.1-3"), Evr.parse("1.1-2")));
      assertThat(hc.status()).isEqualTo(ComplianceStatus.COMPLIANT);
    }

    @Test
    void installedAtExactlyTheFixedVersionIsInstalled() {
      HostCompliance hc = eval(host().installed("openssl", "1.1-2", "x86_64")
          .with(advisory("SA-1").fixes("openssl", "1.1-2", "x86_64")), approveAllAfter(7, HIGH));

      assertThat(patch(hc, "SA-1").state()).isEqualTo(INSTALLED);
    }

    @Test
    void approvedAndMissingIsMissing() {
      HostCompliance hc = eval(host().installed("openssl", "1.1-1", "x86_64")
          .with(advisory("SA-1").fixes("openssl", "1.1-2", "x86_64")), approveAllAfter(7, HIGH));

      PatchCompliance p = patch(hc, "SA-1");
      assertThat(p.state()).isEqualTo(MISSING);
      assertThat(p.level()).isEqualTo(HIGH);
      assertThat(p.approved()).isTrue();
      assertThat(p.rebootNeeded()).isFalse();
      assertThat(hc.status()).isEqualTo(ComplianceStatus.NON_COMPLIANT);
    }

    @Test
    void approvedMissingAndFailedByTheNewestRepairIsFailed() {
      HostBuilder h = host().installed("openssl", "1.1-1", "x86_64").installed("bash", "5.1-1", "x86_64")
          .with(advisory("SA-1").fixes("openssl", "1.1-2", "x86_64"))
          .with(advisory("SA-2").fixes("bash", "5.1-2", "x86_64"));

      HostCompliance hc = eval(h, approveAllAfter(7, HIGH), Set.of("SA-1", "SA-99"));

      assertThat(patch(hc, "SA-1").state()).isEqualTo(FAILED);
      assertThat(patch(hc, "SA-2").state()).isEqualTo(MISSING);
      assertThat(hc.status()).isEqualTo(ComplianceStatus.NON_COMPLIANT);
    }

    @Test
    void aFailedIdThatIsInstalledNowIsInstalled() {
      HostCompliance hc = eval(host().installed("openssl", "1.1-2", "x86_64")
          .with(advisory("SA-1").fixes("openssl", "1.1-2", "x86_64")), approveAllAfter(7, HIGH), Set.of("SA-1"));

      assertThat(patch(hc, "SA-1").state()).isEqualTo(INSTALLED);
    }

    @Test
    void installedButNotApprovedIsInstalledOtherWithoutLevel() {
      HostCompliance hc = eval(host().installed("openssl", "1.1-2", "x86_64")
          .with(advisory("SA-1").issuedDaysAgo(1).fixes("openssl", "1.1-2", "x86_64")), approveAllAfter(7, HIGH));

      PatchCompliance p = patch(hc, "SA-1");
      assertThat(p.state()).isEqualTo(INSTALLED_OTHER);
      assertThat(p.level()).isNull();
      assertThat(p.approved()).isFalse();
      assertThat(hc.status()).isEqualTo(ComplianceStatus.COMPLIANT);
    }

    @Test
    void missingAndNotApprovedIsNotReported() {
      HostCompliance hc = eval(host().installed("openssl", "1.1-1", "x86_64")
          .with(advisory("SA-1").issuedDaysAgo(1).fixes("openssl", "1.1-2", "x86_64")), approveAllAfter(7, HIGH));

      assertThat(ids(hc)).isEmpty();
      assertThat(hc.status()).isEqualTo(ComplianceStatus.COMPLIANT);
    }

    @Test
    void aBaselineWithoutRulesOrListsApprovesNothing() {
      HostCompliance hc = eval(host().installed("openssl", "1.1-2", "x86_64").installed("bash", "5.1-1", "x86_64")
          .with(advisory("SA-1").fixes("openssl", "1.1-2", "x86_64"))
          .with(advisory("SA-2").fixes("bash", "5.1-2", "x86_64")), baseline().build());

      assertThat(states(hc)).containsExactly(Map.entry("SA-1", INSTALLED_OTHER));
    }

    @Test
    void epochWinsOverVersion() {
      HostCompliance hc = eval(host().installed("bind", "32:9.11.4-1", "x86_64").installed("dhcp", "9.9-1", "x86_64")
          .with(advisory("SA-1").fixes("bind", "32:9.11.4-0.1", "x86_64"))
          .with(advisory("SA-2").fixes("dhcp", "12:4.3.6-1", "x86_64")), approveAllAfter(0, LOW));

      assertThat(states(hc)).containsExactly(Map.entry("SA-1", INSTALLED), Map.entry("SA-2", MISSING));
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Relevance and applicability

  @Nested
  class Relevance {

    @Test
    void anAdvisoryForPackagesNotInstalledIsNotApplicable() {
      HostCompliance hc = eval(host().installed("openssl", "1.1-1", "x86_64")
          .with(advisory("SA-1").fixes("nginx", "1.20-1", "x86_64")), approveAllAfter(0, HIGH));

      assertThat(hc.patches()).isEmpty();
      assertThat(hc.status()).isEqualTo(ComplianceStatus.COMPLIANT);
    }

    @Test
    void oneRelevantEntrySatisfiedAndAnotherNotIsMissing() {
      HostCompliance hc = eval(host().installed("openssl", "1.1-2", "x86_64").installed("openssl-libs", "1.1-1", "x86_64")
          .with(advisory("SA-1").fixes("openssl", "1.1-2", "x86_64").fixes("openssl-libs", "1.1-2", "x86_64")),
          approveAllAfter(0, HIGH));

      PatchCompliance p = patch(hc, "SA-1");
      assertThat(p.state()).isEqualTo(MISSING);
      assertThat(p.packages()).containsExactly(
          new PackageStatus("openssl", "x86_64", Evr.parse("1.1-2"), Evr.parse("1.1-2")),
          new PackageStatus("openssl-libs", "x86_64", Evr.parse("1.1-1"), Evr.parse("1.1-2")));
    }

    @Test
    void anEntryForAPackageNotInstalledIsIgnored() {
      HostCompliance hc = eval(host().installed("openssl", "1.1-2", "x86_64")
          .with(advisory("SA-1").fixes("openssl", "1.1-2", "x86_64").fixes("openssl-devel", "1.1-2", "x86_64")),
          approveAllAfter(0, HIGH));

      PatchCompliance p = patch(hc, "SA-1");
      assertThat(p.state()).isEqualTo(INSTALLED);
      assertThat(p.packages()).extracting(PackageStatus::name).containsExactly("openssl");
    }

    @Test
    void anEntryOfAnotherArchIsNotRelevant() {
      HostCompliance hc = eval(host().installed("glibc", "2.34-1", "i686").installed("zlib", "1.2-1", "x86_64")
          .with(advisory("SA-1").fixes("glibc", "2.34-9", "x86_64"))
          .with(advisory("SA-2").fixes("glibc", "2.34-9", "x86_64").fixes("zlib", "1.2-1", "x86_64")),
          approveAllAfter(0, HIGH));

      assertThat(states(hc)).containsExactly(Map.entry("SA-2", INSTALLED));
      assertThat(patch(hc, "SA-2").packages()).extracting(PackageStatus::name).containsExactly("zlib");
    }

    @Test
    void bothArchesInstalledAreBothRelevant() {
      HostCompliance hc = eval(host().installed("glibc", "2.34-9", "x86_64").installed("glibc", "2.34-1", "i686")
          .with(advisory("SA-1").fixes("glibc", "2.34-9", "x86_64").fixes("glibc", "2.34-9", "i686")),
          approveAllAfter(0, HIGH));

      PatchCompliance p = patch(hc, "SA-1");
      assertThat(p.state()).isEqualTo(MISSING);
      assertThat(p.packages()).containsExactly(
          new PackageStatus("glibc", "x86_64", Evr.parse("2.34-9"), Evr.parse("2.34-9")),
          new PackageStatus("glibc", "i686", Evr.parse("2.34-1"), Evr.parse("2.34-9")));
    }

    @Test
    void noarchMatchesOnlyNoarch() {
      HostCompliance hc = eval(host().installed("tzdata", "2024a-1", "noarch").installed("python3", "3.9-1", "x86_64")
          .with(advisory("SA-1").fixes("tzdata", "2025a-1", "x86_64"))
          .with(advisory("SA-2").fixes("python3", "3.9-2", "noarch"))
          .with(advisory("SA-3").fixes("tzdata", "2025a-1", "noarch")), approveAllAfter(0, HIGH));

      assertThat(states(hc)).containsExactly(Map.entry("SA-3", MISSING));
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Approval rules

  @Nested
  class ApprovalRules {

    @Test
    void approveAfterDaysIsReachedExactlyNDaysAfterIssue() {
      HostBuilder h = host().installed("a", "1-1", "x86_64").installed("b", "1-1", "x86_64").installed("c", "1-1", "x86_64")
          .with(advisory("EXACT").issued(NOW.minus(Duration.ofDays(7))).fixes("a", "1-1", "x86_64"))
          .with(advisory("ONE-MS-SHORT").issued(NOW.minus(Duration.ofDays(7)).plusMillis(1)).fixes("b", "1-1", "x86_64"))
          .with(advisory("DAY-SHORT").issued(NOW.minus(Duration.ofDays(6))).fixes("c", "1-1", "x86_64"));

      HostCompliance hc = eval(h, approveAllAfter(7, HIGH));

      assertThat(states(hc)).containsExactly(
          Map.entry("DAY-SHORT", INSTALLED_OTHER), Map.entry("EXACT", INSTALLED), Map.entry("ONE-MS-SHORT", INSTALLED_OTHER));
    }

    @Test
    void approveAfterDaysDecidesWhetherAMissingPatchIsReported() {
      HostBuilder h = host().installed("a", "1-1", "x86_64").installed("b", "1-1", "x86_64")
          .with(advisory("EXACT").issued(NOW.minus(Duration.ofDays(30))).fixes("a", "1-2", "x86_64"))
          .with(advisory("DAY-SHORT").issued(NOW.minus(Duration.ofDays(29))).fixes("b", "1-2", "x86_64"));

      assertThat(states(eval(h, approveAllAfter(30, MEDIUM)))).containsExactly(Map.entry("EXACT", MISSING));
    }

    @Test
    void zeroDaysApprovesAtIssueButNotBefore() {
      HostBuilder h = host().installed("a", "1-1", "x86_64").installed("b", "1-1", "x86_64")
          .with(advisory("NOW").issued(NOW).fixes("a", "1-1", "x86_64"))
          .with(advisory("FUTURE").issued(NOW.plusSeconds(1)).fixes("b", "1-1", "x86_64"));

      assertThat(states(eval(h, approveAllAfter(0, LOW))))
          .containsExactly(Map.entry("FUTURE", INSTALLED_OTHER), Map.entry("NOW", INSTALLED));
    }

    @Test
    void approveUntilDateIncludesTheWholeDayInUtc() {
      LocalDate until = LocalDate.of(2025, 3, 31);
      HostBuilder h = host().installed("a", "1-1", "x86_64").installed("b", "1-1", "x86_64")
          .installed("c", "1-1", "x86_64").installed("d", "1-1", "x86_64")
          .with(advisory("START-OF-DAY").issued(Instant.parse("2025-03-31T00:00:00Z")).fixes("a", "1-1", "x86_64"))
          .with(advisory("END-OF-DAY").issued(Instant.parse("2025-03-31T23:59:59.999Z")).fixes("b", "1-1", "x86_64"))
          .with(advisory("DAY-AFTER").issued(Instant.parse("2025-04-01T00:00:00Z")).fixes("c", "1-1", "x86_64"))
          .with(advisory("LONG-BEFORE").issued(Instant.parse("2020-01-01T00:00:00Z")).fixes("d", "1-2", "x86_64"));

      HostCompliance hc = eval(h, baseline().rule(rule(ALL, ALL, ALL, null, until, MEDIUM)).build());

      assertThat(states(hc)).containsExactly(
          Map.entry("DAY-AFTER", INSTALLED_OTHER), Map.entry("END-OF-DAY", INSTALLED),
          Map.entry("LONG-BEFORE", MISSING), Map.entry("START-OF-DAY", INSTALLED));
      assertThat(patch(hc, "LONG-BEFORE").level()).isEqualTo(MEDIUM);
    }

    @Test
    void anAdvisoryWithoutIssuedDateIsNotApprovedByRules() {
      HostBuilder h = host().installed("a", "1-1", "x86_64").installed("b", "1-1", "x86_64")
          .with(advisory("NO-DATE").issued(null).fixes("a", "1-1", "x86_64"))
          .with(advisory("NO-DATE-MISSING").issued(null).fixes("b", "1-2", "x86_64"));

      HostCompliance hc = eval(h, baseline().rule(afterDays(0, HIGH))
          .rule(rule(ALL, ALL, ALL, null, LocalDate.of(2099, 1, 1), HIGH)).build());

      assertThat(states(hc)).containsExactly(Map.entry("NO-DATE", INSTALLED_OTHER));
    }

    @Test
    void productFilterComparesCaseInsensitively() {
      HostBuilder h = host().product("HCE 2.0").installed("a", "1-1", "x86_64")
          .with(advisory("SA-1").fixes("a", "1-2", "x86_64"));

      assertThat(states(eval(h, only(rule(List.of("hce 2.0"), ALL, ALL, 0, null, HIGH)))))
          .containsExactly(Map.entry("SA-1", MISSING));
      assertThat(states(eval(h, only(rule(List.of("CentOS 7", "HCE 2.0"), ALL, ALL, 0, null, HIGH)))))
          .containsExactly(Map.entry("SA-1", MISSING));
      assertThat(states(eval(h, only(rule(List.of("CentOS 7"), ALL, ALL, 0, null, HIGH))))).isEmpty();
      assertThat(states(eval(h, only(rule(List.of("HCE 2"), ALL, ALL, 0, null, HIGH))))).isEmpty();
      assertThat(states(eval(h, only(rule(ALL, ALL, ALL, 0, null, HIGH)))))
          .containsExactly(Map.entry("SA-1", MISSING));
    }

    @Test
    void aHostWithoutProductMatchesOnlyAllProducts() {
      HostBuilder h = host().product(null).installed("a", "1-1", "x86_64")
          .with(advisory("SA-1").fixes("a", "1-2", "x86_64"));

      assertThat(states(eval(h, only(rule(List.of("HCE 2.0"), ALL, ALL, 0, null, HIGH))))).isEmpty();
      assertThat(states(eval(h, only(rule(ALL, ALL, ALL, 0, null, HIGH)))))
          .containsExactly(Map.entry("SA-1", MISSING));
    }

    @Test
    void categoryFilter() {
      HostBuilder h = host().installed("a", "1-1", "x86_64").installed("b", "1-1", "x86_64")
          .installed("c", "1-1", "x86_64")
          .with(advisory("SEC").category(PatchCategory.SECURITY).fixes("a", "1-2", "x86_64"))
          .with(advisory("BUG").category(PatchCategory.BUGFIX).fixes("b", "1-2", "x86_64"))
          .with(advisory("ENH").category(PatchCategory.ENHANCEMENT).fixes("c", "1-2", "x86_64"));

      assertThat(ids(eval(h, only(rule(ALL, List.of("SECURITY"), ALL, 0, null, HIGH))))).containsExactly("SEC");
      assertThat(ids(eval(h, only(rule(ALL, List.of("BUGFIX", "ENHANCEMENT"), ALL, 0, null, HIGH)))))
          .containsExactly("BUG", "ENH");
      assertThat(ids(eval(h, only(rule(ALL, ALL, ALL, 0, null, HIGH))))).containsExactly("BUG", "ENH", "SEC");
    }

    @Test
    void anUnknownTypeIsMatchedOnlyByAllCategories() {
      HostBuilder h = host().installed("a", "1-1", "x86_64")
          .with(advisory("ODD").type("errata", null).fixes("a", "1-2", "x86_64"));

      List<String> everyCategory = Arrays.stream(PatchCategory.values()).map(Enum::name).toList();
      assertThat(ids(eval(h, only(rule(ALL, everyCategory, ALL, 0, null, HIGH))))).isEmpty();
      assertThat(ids(eval(h, only(rule(ALL, ALL, ALL, 0, null, HIGH))))).containsExactly("ODD");
    }

    @Test
    void severityFilter() {
      HostBuilder h = host().installed("a", "1-1", "x86_64").installed("b", "1-1", "x86_64")
          .installed("c", "1-1", "x86_64")
          .with(advisory("CRIT").severity(PatchSeverity.CRITICAL).fixes("a", "1-2", "x86_64"))
          .with(advisory("LOW").severity(PatchSeverity.LOW).fixes("b", "1-2", "x86_64"))
          .with(advisory("NONE").severity(PatchSeverity.NONE).fixes("c", "1-2", "x86_64"));

      assertThat(ids(eval(h, only(rule(ALL, ALL, List.of("CRITICAL", "IMPORTANT"), 0, null, HIGH)))))
          .containsExactly("CRIT");
      assertThat(ids(eval(h, only(rule(ALL, ALL, List.of("LOW"), 0, null, HIGH))))).containsExactly("LOW");
      assertThat(ids(eval(h, only(rule(ALL, ALL, ALL, 0, null, HIGH))))).containsExactly("CRIT", "LOW", "NONE");
    }

    @Test
    void aMissingSeverityIsNone() {
      HostBuilder h = host().installed("a", "1-1", "x86_64").installed("b", "1-1", "x86_64")
          .with(advisory("NONE").severity(PatchSeverity.NONE).fixes("a", "1-2", "x86_64"))
          .with(advisory("NULL").severity(null).fixes("b", "1-2", "x86_64"));

      assertThat(ids(eval(h, only(rule(ALL, ALL, List.of("NONE"), 0, null, LOW))))).containsExactly("NONE", "NULL");
      assertThat(ids(eval(h, only(rule(ALL, ALL, List.of("LOW"), 0, null, LOW))))).isEmpty();
    }

    @Test
    void allFiltersMustMatch() {
      HostBuilder h = host().product("CentOS 7").installed("a", "1-1", "x86_64")
          .with(advisory("SA-1").category(PatchCategory.SECURITY).severity(PatchSeverity.IMPORTANT)
              .fixes("a", "1-2", "x86_64"));

      assertThat(ids(eval(h, only(rule(List.of("CentOS 7"), List.of("SECURITY"), List.of("IMPORTANT"), 0, null, HIGH)))))
          .containsExactly("SA-1");
      assertThat(ids(eval(h, only(rule(List.of("CentOS 7"), List.of("SECURITY"), List.of("LOW"), 0, null, HIGH)))))
          .isEmpty();
      assertThat(ids(eval(h, only(rule(List.of("CentOS 7"), List.of("BUGFIX"), List.of("IMPORTANT"), 0, null, HIGH)))))
          .isEmpty();
      assertThat(ids(eval(h, only(rule(List.of("HCE 2.0"), List.of("SECURITY"), List.of("IMPORTANT"), 0, null, HIGH)))))
          .isEmpty();
    }

    @Test
    void severalMatchingRulesGiveTheMostSevereLevel() {
      HostBuilder h = host().installed("a", "1-1", "x86_64").installed("b", "1-1", "x86_64")
          .with(advisory("SEC").category(PatchCategory.SECURITY).severity(PatchSeverity.CRITICAL).fixes("a", "1-2", "x86_64"))
          .with(advisory("BUG").category(PatchCategory.BUGFIX).severity(PatchSeverity.LOW).fixes("b", "1-2", "x86_64"));
      Baseline b = baseline()
          .rule(rule(ALL, ALL, ALL, 0, null, LOW))
          .rule(rule(ALL, List.of("SECURITY"), ALL, 0, null, MEDIUM))
          .rule(rule(ALL, ALL, List.of("CRITICAL"), 0, null, CRITICAL))
          .rule(rule(ALL, List.of("SECURITY"), ALL, 30, null, INFORMATIONAL))
          // matches but does not approve yet: its level does not count
          .rule(rule(ALL, List.of("BUGFIX"), ALL, 360, null, HIGH))
          .build();

      HostCompliance hc = eval(h, b);

      assertThat(patch(hc, "SEC").level()).isEqualTo(CRITICAL);
      assertThat(patch(hc, "BUG").level()).isEqualTo(LOW);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Approved patches list

  @Nested
  class ApprovedPatches {

    @Test
    void approvedPatchesAreApprovedWhateverTheRulesSay() {
      HostBuilder h = host().installed("a", "1-1", "x86_64").installed("b", "1-1", "x86_64")
          .with(advisory("LISTED").issuedDaysAgo(0).fixes("a", "1-2", "x86_64"))
          .with(advisory("NOT-LISTED").issuedDaysAgo(0).fixes("b", "1-2", "x86_64"));

      HostCompliance hc = eval(h, baseline().rule(afterDays(7, HIGH)).approve("LISTED").approvedLevel(MEDIUM).build());

      assertThat(states(hc)).containsExactly(Map.entry("LISTED", MISSING));
      assertThat(patch(hc, "LISTED").level()).isEqualTo(MEDIUM);
      assertThat(patch(hc, "LISTED").approved()).isTrue();
    }

    @Test
    void theListMatchesExactIdsOnly() {
      HostBuilder h = host().installed("a", "1-1", "x86_64")
          .with(advisory("SA-2024-1").issuedDaysAgo(0).fixes("a", "1-2", "x86_64"));

      assertThat(ids(eval(h, baseline().approve("SA-2024-*", "sa-2024-1", "SA-2024").build()))).isEmpty();
    }

    @Test
    void approvedPatchesDefaultLevelIsUnspecified() {
      HostBuilder h = host().installed("a", "1-1", "x86_64")
          .with(advisory("LISTED").issued(null).fixes("a", "1-2", "x86_64"));

      HostCompliance hc = eval(h, baseline().approve("LISTED").approvedLevel(null).build());

      assertThat(patch(hc, "LISTED").state()).isEqualTo(MISSING);
      assertThat(patch(hc, "LISTED").level()).isEqualTo(UNSPECIFIED);
    }

    @Test
    void theRulesLevelWinsWhenMoreSevere() {
      HostBuilder h = host().installed("a", "1-1", "x86_64")
          .with(advisory("LISTED").issuedDaysAgo(30).fixes("a", "1-2", "x86_64"));

      assertThat(patch(eval(h, baseline().rule(afterDays(7, CRITICAL)).approve("LISTED").approvedLevel(LOW).build()),
          "LISTED").level()).isEqualTo(CRITICAL);
      assertThat(patch(eval(h, baseline().rule(afterDays(7, LOW)).approve("LISTED").approvedLevel(HIGH).build()),
          "LISTED").level()).isEqualTo(HIGH);
      // a rule that matches but has not approved yet does not lend its level
      assertThat(patch(eval(h, baseline().rule(afterDays(60, CRITICAL)).approve("LISTED").approvedLevel(LOW).build()),
          "LISTED").level()).isEqualTo(LOW);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Rejected patches

  @Nested
  class RejectedPatches {

    @Test
    void rejectedByIdWithBlockAndInstalledIsInstalledRejected() {
      HostCompliance hc = eval(host().installed("telnet", "0.17-2", "x86_64")
              .with(advisory("SA-1").fixes("telnet", "0.17-2", "x86_64")),
          approveAllAfter(0, HIGH).reject("SA-1").block().build());

      PatchCompliance p = patch(hc, "SA-1");
      assertThat(p.state()).isEqualTo(INSTALLED_REJECTED);
      assertThat(p.level()).isEqualTo(UNSPECIFIED);
      assertThat(p.approved()).isFalse();
      assertThat(p.rejected()).isTrue();
      assertThat(hc.status()).isEqualTo(ComplianceStatus.NON_COMPLIANT);
    }

    @Test
    void rejectedByIdAllowedAsDependencyAndInstalledIsInstalledOther() {
      HostCompliance hc = eval(host().installed("telnet", "0.17-2", "x86_64")
              .with(advisory("SA-1").fixes("telnet", "0.17-2", "x86_64")),
          approveAllAfter(0, HIGH).reject("SA-1").build());

      PatchCompliance p = patch(hc, "SA-1");
      assertThat(p.state()).isEqualTo(INSTALLED_OTHER);
      assertThat(p.level()).isNull();
      assertThat(p.approved()).isFalse();
      assertThat(p.rejected()).isTrue();
      assertThat(hc.status()).isEqualTo(ComplianceStatus.COMPLIANT);
    }

    @Test
    void rejectedAndMissingIsNotReportedWhateverTheAction() {
      HostBuilder h = host().installed("telnet", "0.17-1", "x86_64").installed("kernel-core", "5.10.0-1", "x86_64")
          .with(advisory("SA-1").fixes("telnet", "0.17-2", "x86_64"))
          .with(advisory("SA-2").fixes("kernel-core", "5.10.0-2", "x86_64"));

      assertThat(ids(eval(h, approveAllAfter(0, HIGH).reject("SA-1", "kernel*").block().build()))).isEmpty();
      assertThat(ids(eval(h, approveAllAfter(0, HIGH).reject("SA-1", "kernel*").build()))).isEmpty();
    }

    @Test
    void rejectedByPackageGlobWithBlock() {
      HostBuilder h = host().running("5.10.0-2.x86_64")
          .installed("kernel-core", "5.10.0-2", "x86_64").installed("kernel-tools", "5.10.0-2", "x86_64")
          .installed("openssl", "1.1-2", "x86_64").installed("nss", "3.1-2", "x86_64")
          .with(advisory("KERNEL").fixes("kernel-core", "5.10.0-2", "x86_64"))
          .with(advisory("TOOLS").fixes("kernel-tools", "5.10.0-2", "x86_64"))
          .with(advisory("OPENSSL").fixes("openssl", "1.1-2", "x86_64"))
          .with(advisory("NSS").fixes("nss", "3.1-2", "x86_64"));

      HostCompliance hc = eval(h, approveAllAfter(0, HIGH).reject("kernel*", "?pens?l").block().build());

      assertThat(states(hc)).containsExactly(
          Map.entry("KERNEL", INSTALLED_REJECTED), Map.entry("NSS", INSTALLED),
          Map.entry("OPENSSL", INSTALLED_REJECTED), Map.entry("TOOLS", INSTALLED_REJECTED));
    }

    @Test
    void rejectedByPackageGlobAllowedAsDependency() {
      HostBuilder h = host()
          .installed("kernel-core", "5.10.0-2", "x86_64").installed("openssl", "1.1-2", "x86_64")
          .with(advisory("KERNEL").fixes("kernel-core", "5.10.0-2", "x86_64"))
          .with(advisory("OPENSSL").fixes("openssl", "1.1-2", "x86_64"));

      HostCompliance hc = eval(h, approveAllAfter(0, HIGH).reject("kernel*").build());

      assertThat(states(hc)).containsExactly(Map.entry("KERNEL", INSTALLED_OTHER), Map.entry("OPENSSL", INSTALLED));
      assertThat(patch(hc, "KERNEL").rejected()).isTrue();
    }

    @Test
    void anExactPackageNameIsAGlobWithoutWildcards() {
      HostBuilder h = host().installed("telnet", "0.17-2", "x86_64").installed("telnet-server", "0.17-2", "x86_64")
          .with(advisory("TELNET").fixes("telnet", "0.17-2", "x86_64"))
          .with(advisory("SERVER").fixes("telnet-server", "0.17-2", "x86_64"));

      HostCompliance hc = eval(h, approveAllAfter(0, HIGH).reject("telnet").block().build());

      assertThat(states(hc)).containsExactly(Map.entry("SERVER", INSTALLED), Map.entry("TELNET", INSTALLED_REJECTED));
    }

    @Test
    void globsMatchOnlyRelevantEntries() {
      HostBuilder h = host().installed("openssl", "1.1-2", "x86_64")
          .with(advisory("SA-1").fixes("openssl", "1.1-2", "x86_64").fixes("telnet", "0.17-2", "x86_64")
              .fixes("openssl", "1.1-2", "i686"));

      HostCompliance hc = eval(h, approveAllAfter(0, HIGH).reject("telnet").block().build());

      assertThat(states(hc)).containsExactly(Map.entry("SA-1", INSTALLED));
    }

    @Test
    void oneRejectedEntryRejectsTheWholeAdvisory() {
      HostBuilder h = host().installed("openssl", "1.1-2", "x86_64").installed("telnet", "0.17-2", "x86_64")
          .with(advisory("SA-1").fixes("openssl", "1.1-2", "x86_64").fixes("telnet", "0.17-2", "x86_64"));

      assertThat(states(eval(h, approveAllAfter(0, HIGH).reject("tel*").block().build())))
          .containsExactly(Map.entry("SA-1", INSTALLED_REJECTED));
    }

    @Test
    void rejectedBeatsTheApprovedList() {
      HostBuilder h = host().installed("a", "1-2", "x86_64").installed("b", "1-1", "x86_64")
          .with(advisory("INSTALLED").fixes("a", "1-2", "x86_64"))
          .with(advisory("MISSING").fixes("b", "1-2", "x86_64"));

      HostCompliance blocked = eval(h, baseline().approve("INSTALLED", "MISSING").approvedLevel(CRITICAL)
          .reject("INSTALLED", "MISSING").block().build());
      assertThat(states(blocked)).containsExactly(Map.entry("INSTALLED", INSTALLED_REJECTED));
      assertThat(patch(blocked, "INSTALLED").level()).isEqualTo(UNSPECIFIED);

      HostCompliance allowed = eval(h, baseline().approve("INSTALLED", "MISSING").approvedLevel(CRITICAL)
          .reject("INSTALLED", "MISSING").build());
      assertThat(states(allowed)).containsExactly(Map.entry("INSTALLED", INSTALLED_OTHER));
    }

    @Test
    void rejectedIdsAreExact() {
      HostBuilder h = host().installed("a", "1-2", "x86_64")
          .with(advisory("SA-10").fixes("a", "1-2", "x86_64"));

      assertThat(states(eval(h, approveAllAfter(0, HIGH).reject("SA-1", "sa-10").block().build())))
          .containsExactly(Map.entry("SA-10", INSTALLED));
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Reboots

  @Nested
  class Reboots {

    @Test
    void installOnlyKernelsUseTheHighestInstalled() {
      HostBuilder h = host().running("5.10.0-60.18.0.50.oe2203.x86_64")
          .installed("kernel-core", "5.10.0-60.10.0.30.oe2203", "x86_64")
          .installed("kernel-core", "5.10.0-60.18.0.50.oe2203", "x86_64")
          .installed("kernel-core", "5.10.0-60.12.0.40.oe2203", "x86_64")
          .with(advisory("SA-OLD").fixes("kernel-core", "5.10.0-60.12.0.40.oe2203", "x86_64"))
          .with(advisory("SA-NEW").fixes("kernel-core", "5.10.0-60.18.0.50.oe2203", "x86_64"))
          .with(advisory("SA-NEXT").fixes("kernel-core", "5.10.0-60.20.0.1.oe2203", "x86_64"));

      HostCompliance hc = eval(h, approveAllAfter(0, HIGH));

      assertThat(states(hc)).containsExactly(
          Map.entry("SA-NEW", INSTALLED), Map.entry("SA-NEXT", MISSING), Map.entry("SA-OLD", INSTALLED));
      assertThat(patch(hc, "SA-NEXT").packages()).containsExactly(new PackageStatus("kernel-core", "x86_64",
          Evr.parse("5.10.0-60.18.0.50.oe2203"), Evr.parse("5.10.0-60.20.0.1.oe2203")));
    }

    @Test
    void aKernelAboveTheRunningOneNeedsAReboot() {
      HostBuilder h = host().running("5.10.0-60.10.0.30.oe2203.x86_64")
          .installed("kernel-core", "5.10.0-60.10.0.30.oe2203", "x86_64")
          .installed("kernel-core", "5.10.0-60.18.0.50.oe2203", "x86_64")
          .with(advisory("SA-OLD").fixes("kernel-core", "5.10.0-60.10.0.30.oe2203", "x86_64"))
          .with(advisory("SA-NEW").fixes("kernel-core", "5.10.0-60.18.0.50.oe2203", "x86_64"));

      HostCompliance hc = eval(h, approveAllAfter(0, HIGH));

      assertThat(states(hc)).containsExactly(Map.entry("SA-NEW", INSTALLED_PENDING_REBOOT), Map.entry("SA-OLD", INSTALLED));
      assertThat(patch(hc, "SA-NEW").rebootNeeded()).isTrue();
      assertThat(patch(hc, "SA-NEW").level()).isEqualTo(HIGH);
      assertThat(hc.status()).isEqualTo(ComplianceStatus.NON_COMPLIANT);
    }

    @Test
    void runningTheNewKernelNeedsNoReboot() {
      HostBuilder h = host().running("5.10.0-60.18.0.50.oe2203.x86_64")
          .installed("kernel-core", "5.10.0-60.10.0.30.oe2203", "x86_64")
          .installed("kernel-core", "5.10.0-60.18.0.50.oe2203", "x86_64")
          .with(advisory("SA-NEW").fixes("kernel-core", "5.10.0-60.18.0.50.oe2203", "x86_64"));

      HostCompliance hc = eval(h, approveAllAfter(0, HIGH));

      assertThat(states(hc)).containsExactly(Map.entry("SA-NEW", INSTALLED));
      assertThat(hc.status()).isEqualTo(ComplianceStatus.COMPLIANT);
    }

    @Test
    void onlyKernelPackagesCompareWithTheRunningKernel() {
      HostBuilder h = host().running("5.10.0-1.x86_64").kernelNames("kernel", "kernel-core")
          .installed("kernel-tools", "5.10.0-9", "x86_64")
          .with(advisory("TOOLS").fixes("kernel-tools", "5.10.0-9", "x86_64"));

      assertThat(states(eval(h, approveAllAfter(0, HIGH)))).containsExactly(Map.entry("TOOLS", INSTALLED));
    }

    @Test
    void aNotApprovedInstalledKernelIsInstalledOtherButReportsTheReboot() {
      HostBuilder h = host().running("5.10.0-1.x86_64")
          .installed("kernel", "5.10.0-2", "x86_64")
          .with(advisory("SA-1").issuedDaysAgo(0).fixes("kernel", "5.10.0-2", "x86_64"));

      PatchCompliance p = patch(eval(h, approveAllAfter(7, HIGH)), "SA-1");
      assertThat(p.state()).isEqualTo(INSTALLED_OTHER);
      assertThat(p.rebootNeeded()).isTrue();
    }

    @Test
    void rebootSuggestedAndInstalledAfterBootNeedsAReboot() {
      HostBuilder h = host().boot(BOOT)
          .installed("glibc", "2.34-9", "x86_64", BOOT.plusSeconds(60))
          .installed("bash", "5.1-9", "x86_64", BOOT.minusSeconds(60))
          .installed("zlib", "1.2-9", "x86_64", BOOT.plusSeconds(60))
          .with(advisory("AFTER").rebootSuggested().fixes("glibc", "2.34-9", "x86_64"))
          .with(advisory("BEFORE").rebootSuggested().fixes("bash", "5.1-9", "x86_64"))
          .with(advisory("NOT-SUGGESTED").fixes("zlib", "1.2-9", "x86_64"));

      assertThat(states(eval(h, approveAllAfter(0, HIGH)))).containsExactly(
          Map.entry("AFTER", INSTALLED_PENDING_REBOOT), Map.entry("BEFORE", INSTALLED),
          Map.entry("NOT-SUGGESTED", INSTALLED));
    }

    @Test
    void rebootSuggestedLooksAtTheInstanceThatSatisfiesTheEntry() {
      // An older kernel-devel-like install-only package installed after boot does not count; the satisfying one was
      // installed before boot.
      HostBuilder h = host().boot(BOOT).kernelNames()
          .installed("kmod-x", "2-1", "x86_64", BOOT.minusSeconds(60))
          .installed("kmod-x", "1-1", "x86_64", BOOT.plusSeconds(60))
          .with(advisory("SA-1").rebootSuggested().fixes("kmod-x", "2-1", "x86_64"));

      assertThat(states(eval(h, approveAllAfter(0, HIGH)))).containsExactly(Map.entry("SA-1", INSTALLED));
    }

    @Test
    void rebootSuggestedWithoutBootTimeNeedsNoReboot() {
      HostBuilder h = host().boot(null)
          .installed("glibc", "2.34-9", "x86_64", NOW)
          .with(advisory("SA-1").rebootSuggested().fixes("glibc", "2.34-9", "x86_64"));

      assertThat(states(eval(h, approveAllAfter(0, HIGH)))).containsExactly(Map.entry("SA-1", INSTALLED));
    }

    @Test
    void aMissingPatchNeedsNoReboot() {
      HostBuilder h = host().running("5.10.0-1.x86_64")
          .installed("kernel", "5.10.0-1", "x86_64", NOW)
          .with(advisory("SA-1").rebootSuggested().fixes("kernel", "5.10.0-2", "x86_64"));

      PatchCompliance p = patch(eval(h, approveAllAfter(0, HIGH)), "SA-1");
      assertThat(p.state()).isEqualTo(MISSING);
      assertThat(p.rebootNeeded()).isFalse();
    }

    @Test
    void parsesTheRunningKernel() {
      assertThat(ComplianceEngine.parseRunningKernel("5.10.0-60.18.0.50.oe2203.x86_64"))
          .isEqualTo(new Evr(0, "5.10.0", "60.18.0.50.oe2203"));
      assertThat(ComplianceEngine.parseRunningKernel("3.10.0-1160.el7.x86_64"))
          .isEqualTo(new Evr(0, "3.10.0", "1160.el7"));
      assertThat(ComplianceEngine.parseRunningKernel("5.14.0-362.8.1.el9_3.aarch64+debug"))
          .isEqualTo(new Evr(0, "5.14.0", "362.8.1.el9_3"));
      assertThat(ComplianceEngine.parseRunningKernel("5.10.0-1.hce2")).isEqualTo(new Evr(0, "5.10.0", "1.hce2"));
      assertThat(ComplianceEngine.parseRunningKernel("6.1.0")).isEqualTo(new Evr(0, "6.1.0", ""));
      assertThat(ComplianceEngine.parseRunningKernel(null)).isNull();
      assertThat(ComplianceEngine.parseRunningKernel(" ")).isNull();
    }

    @Test
    void withoutARunningKernelNoKernelReboot() {
      HostBuilder h = host().running(null)
          .installed("kernel", "5.10.0-2", "x86_64")
          .with(advisory("SA-1").fixes("kernel", "5.10.0-2", "x86_64"));

      assertThat(states(eval(h, approveAllAfter(0, HIGH)))).containsExactly(Map.entry("SA-1", INSTALLED));
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Report

  @Nested
  class Report {

    @Test
    void countsEveryStateAndEveryLevel() {
      HostBuilder h = host().running("5.10.0-1.x86_64")
          .installed("a", "1-2", "x86_64").installed("b", "1-2", "x86_64").installed("c", "1-1", "x86_64")
          .installed("d", "1-1", "x86_64").installed("e", "1-2", "x86_64").installed("kernel", "5.10.0-2", "x86_64")
          .installed("f", "1-1", "x86_64")
          .with(advisory("A-INSTALLED").category(PatchCategory.SECURITY).fixes("a", "1-2", "x86_64"))
          .with(advisory("B-OTHER").issuedDaysAgo(1).fixes("b", "1-2", "x86_64"))
          .with(advisory("C-MISSING").category(PatchCategory.SECURITY).fixes("c", "1-2", "x86_64"))
          .with(advisory("D-FAILED").category(PatchCategory.BUGFIX).fixes("d", "1-2", "x86_64"))
          .with(advisory("E-REJECTED").fixes("e", "1-2", "x86_64"))
          .with(advisory("K-REBOOT").category(PatchCategory.SECURITY).fixes("kernel", "5.10.0-2", "x86_64"))
          .with(advisory("F-UNREPORTED").issuedDaysAgo(1).fixes("f", "1-2", "x86_64"));
      Baseline b = baseline()
          .rule(rule(ALL, List.of("SECURITY"), ALL, 7, null, CRITICAL))
          .rule(rule(ALL, ALL, ALL, 7, null, LOW))
          .reject("E-REJECTED").block()
          .build();

      HostCompliance hc = eval(h, b, Set.of("D-FAILED"));

      assertThat(states(hc)).containsExactly(
          Map.entry("A-INSTALLED", INSTALLED), Map.entry("B-OTHER", INSTALLED_OTHER),
          Map.entry("C-MISSING", MISSING), Map.entry("D-FAILED", FAILED),
          Map.entry("E-REJECTED", INSTALLED_REJECTED), Map.entry("K-REBOOT", INSTALLED_PENDING_REBOOT));
      assertThat(hc.status()).isEqualTo(ComplianceStatus.NON_COMPLIANT);
      assertThat(hc.countsByState()).containsExactly(
          Map.entry(INSTALLED, 1), Map.entry(INSTALLED_OTHER, 1), Map.entry(INSTALLED_PENDING_REBOOT, 1),
          Map.entry(INSTALLED_REJECTED, 1), Map.entry(MISSING, 1), Map.entry(FAILED, 1));
      assertThat(hc.countsByLevel().keySet()).containsExactly(ComplianceLevel.values());
      assertThat(hc.countsByLevel().get(CRITICAL)).containsExactly(
          Map.entry(INSTALLED, 1), Map.entry(INSTALLED_OTHER, 0), Map.entry(INSTALLED_PENDING_REBOOT, 1),
          Map.entry(INSTALLED_REJECTED, 0), Map.entry(MISSING, 1), Map.entry(FAILED, 0));
      assertThat(hc.countsByLevel().get(LOW)).containsEntry(FAILED, 1)
          .containsEntry(INSTALLED, 0).containsEntry(MISSING, 0);
      assertThat(hc.countsByLevel().get(UNSPECIFIED)).containsEntry(INSTALLED_REJECTED, 1)
          .containsEntry(INSTALLED_OTHER, 0);
      int counted = hc.countsByLevel().values().stream()
          .flatMap(m -> m.values().stream()).mapToInt(Integer::intValue).sum();
      assertThat(counted).as("INSTALLED_OTHER has no level and is not counted per level").isEqualTo(5);
    }

    @Test
    void anEmptyReportIsCompliantWithEveryCountZero() {
      HostCompliance hc = eval(host(), approveAllAfter(0, HIGH));

      assertThat(hc.status()).isEqualTo(ComplianceStatus.COMPLIANT);
      assertThat(hc.patches()).isEmpty();
      assertThat(hc.countsByState()).hasSize(PatchState.values().length).allSatisfy((s, n) -> assertThat(n).isZero());
      assertThat(hc.countsByLevel()).hasSize(ComplianceLevel.values().length)
          .allSatisfy((l, m) -> assertThat(m).hasSize(PatchState.values().length)
              .allSatisfy((s, n) -> assertThat(n).isZero()));
    }

    @Test
    void onlyCompliantStatesMakeACompliantHost() {
      HostBuilder h = host().installed("a", "1-2", "x86_64").installed("b", "1-2", "x86_64")
          .with(advisory("A").fixes("a", "1-2", "x86_64"))
          .with(advisory("B").issuedDaysAgo(0).fixes("b", "1-2", "x86_64"));

      HostCompliance hc = eval(h, approveAllAfter(7, HIGH));

      assertThat(states(hc)).containsExactly(Map.entry("A", INSTALLED), Map.entry("B", INSTALLED_OTHER));
      assertThat(hc.status()).isEqualTo(ComplianceStatus.COMPLIANT);
    }

    @Test
    void patchesAreOrderedByIdAndDuplicatesReportedOnce() {
      HostBuilder h = host().installed("a", "1-2", "x86_64").installed("b", "1-1", "x86_64")
          .with(advisory("SA-3").fixes("a", "1-2", "x86_64"))
          .with(advisory("SA-1").fixes("b", "1-2", "x86_64"))
          .with(advisory("SA-2").fixes("a", "1-2", "x86_64"))
          .with(advisory("SA-1").fixes("b", "1-2", "x86_64"));

      HostCompliance hc = eval(h, approveAllAfter(0, HIGH));

      assertThat(ids(hc)).containsExactly("SA-1", "SA-2", "SA-3");
      assertThat(hc.countsByState().get(MISSING)).isEqualTo(1);
    }

    @Test
    void preparedBaselineGivesTheSameResultForEveryHost() {
      Baseline b = approveAllAfter(7, HIGH).reject("tel*").block().build();
      ComplianceEngine.Prepared prepared = engine.prepare(b, NOW);
      HostInventory one = host().installed("telnet", "1-2", "x86_64").installed("a", "1-1", "x86_64")
          .with(advisory("T").fixes("telnet", "1-2", "x86_64")).with(advisory("A").fixes("a", "1-2", "x86_64")).build();
      HostInventory two = host().installed("telnet", "1-1", "x86_64").installed("a", "1-2", "x86_64")
          .with(advisory("T").fixes("telnet", "1-2", "x86_64")).with(advisory("A").fixes("a", "1-2", "x86_64")).build();

      for (HostInventory inv : List.of(one, two, one)) {
        assertThat(prepared.evaluate(inv, Set.of())).isEqualTo(engine.evaluate(inv, b, NOW, Set.of()));
      }
      assertThat(states(prepared.evaluate(one, null)))
          .containsExactly(Map.entry("A", MISSING), Map.entry("T", INSTALLED_REJECTED));
      assertThat(states(prepared.evaluate(two, null))).containsExactly(Map.entry("A", INSTALLED));
    }
  }

  @Nested
  class Globs {

    @Test
    void wildcards() {
      assertThat(ComplianceEngine.Glob.matches("kernel*", "kernel")).isTrue();
      assertThat(ComplianceEngine.Glob.matches("kernel*", "kernel-core")).isTrue();
      assertThat(ComplianceEngine.Glob.matches("kernel*", "akernel")).isFalse();
      assertThat(ComplianceEngine.Glob.matches("*-devel", "openssl-devel")).isTrue();
      assertThat(ComplianceEngine.Glob.matches("*-devel", "openssl-devel-static")).isFalse();
      assertThat(ComplianceEngine.Glob.matches("py*3*-*", "python3-libs")).isTrue();
      assertThat(ComplianceEngine.Glob.matches("?pens?l", "openssl")).isTrue();
      assertThat(ComplianceEngine.Glob.matches("?pens?l", "opensl")).isFalse();
      assertThat(ComplianceEngine.Glob.matches("*", "")).isTrue();
      assertThat(ComplianceEngine.Glob.matches("a.b", "a.b")).isTrue();
      assertThat(ComplianceEngine.Glob.matches("a.b", "axb")).as("'.' is literal").isFalse();
      assertThat(ComplianceEngine.Glob.matches("Telnet", "telnet")).as("case-sensitive").isFalse();
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Test data

  HostCompliance eval(HostBuilder host, BaselineBuilder baseline) {
    return eval(host.build(), baseline.build(), Set.of());
  }

  HostCompliance eval(HostBuilder host, Baseline baseline) {
    return eval(host.build(), baseline, Set.of());
  }

  HostCompliance eval(HostBuilder host, BaselineBuilder baseline, Set<String> failed) {
    return eval(host.build(), baseline.build(), failed);
  }

  HostCompliance eval(HostBuilder host, Baseline baseline, Set<String> failed) {
    return eval(host.build(), baseline, failed);
  }

  HostCompliance eval(HostInventory host, Baseline baseline, Set<String> failed) {
    return engine.evaluate(host, baseline, NOW, failed);
  }

  static PatchCompliance patch(HostCompliance hc, String id) {
    return hc.patches().stream().filter(p -> p.advisory().id().equals(id)).findFirst()
        .orElseGet(() -> fail("advisory " + id + " not reported; reported: " + states(hc)));
  }

  static List<String> ids(HostCompliance hc) {
    return hc.patches().stream().map(p -> p.advisory().id()).toList();
  }

  /** Reported advisories and their states, in report order. */
  static List<Map.Entry<String, PatchState>> states(HostCompliance hc) {
    return hc.patches().stream().map(p -> Map.entry(p.advisory().id(), p.state())).toList();
  }

  static HostBuilder host() {
    return new HostBuilder();
  }

  static AdvisoryBuilder advisory(String id) {
    return new AdvisoryBuilder(id);
  }

  static BaselineBuilder baseline() {
    return new BaselineBuilder();
  }

  /** A baseline with one rule approving everything {@code days} days after issue. */
  static BaselineBuilder approveAllAfter(int days, ComplianceLevel level) {
    return baseline().rule(afterDays(days, level));
  }

  static BaselineBuilder only(ApprovalRule rule) {
    return baseline().rule(rule);
  }

  static ApprovalRule afterDays(int days, ComplianceLevel level) {
    return rule(ALL, ALL, ALL, days, null, level);
  }

  static ApprovalRule rule(List<String> products, List<String> categories, List<String> severities, Integer days,
      LocalDate until, ComplianceLevel level) {
    return new ApprovalRule(products, categories, severities, days, until, level);
  }

  static final class HostBuilder {
    private String product = "HCE 2.0";
    private String runningKernel = "5.10.0-60.18.0.50.oe2203.x86_64";
    private Instant bootTime = BOOT;
    private Set<String> kernelNames = Set.of("kernel", "kernel-core");
    private final List<InstalledPackage> packages = new ArrayList<>();
    private final List<Advisory> advisories = new ArrayList<>();

    HostBuilder product(String product) {
      this.product = product;
      return this;
    }

    HostBuilder running(String unameR) {
      this.runningKernel = unameR;
      return this;
    }

    HostBuilder boot(Instant bootTime) {
      this.bootTime = bootTime;
      return this;
    }

    HostBuilder kernelNames(String... names) {
      this.kernelNames = Set.of(names);
      return this;
    }

    /** Installed long before the last boot. */
    HostBuilder installed(String name, String evr, String arch) {
      return installed(name, evr, arch, LONG_AGO);
    }

    HostBuilder installed(String name, String evr, String arch, Instant installedAt) {
      packages.add(new InstalledPackage(name, Evr.parse(evr), arch, installedAt));
      return this;
    }

    HostBuilder with(AdvisoryBuilder advisory) {
      advisories.add(advisory.build());
      return this;
    }

    HostInventory build() {
      return new HostInventory("hce", "2.0", product, runningKernel, bootTime, List.copyOf(packages), kernelNames,
          List.copyOf(advisories), null, null);
    }
  }

  /** Defaults: a security advisory of Important severity issued 30 days before NOW, no reboot suggested. */
  static final class AdvisoryBuilder {
    private final String id;
    private String type = "security";
    private PatchCategory category = PatchCategory.SECURITY;
    private PatchSeverity severity = PatchSeverity.IMPORTANT;
    private Instant issued = NOW.minus(Duration.ofDays(30));
    private boolean rebootSuggested;
    private final List<AdvisoryPackage> packages = new ArrayList<>();

    AdvisoryBuilder(String id) {
      this.id = id;
    }

    AdvisoryBuilder category(PatchCategory category) {
      this.category = category;
      this.type = category.name().toLowerCase();
      return this;
    }

    AdvisoryBuilder type(String type, PatchCategory category) {
      this.type = type;
      this.category = category;
      return this;
    }

    AdvisoryBuilder severity(PatchSeverity severity) {
      this.severity = severity;
      return this;
    }

    AdvisoryBuilder issued(Instant issued) {
      this.issued = issued;
      return this;
    }

    AdvisoryBuilder issuedDaysAgo(long days) {
      return issued(NOW.minus(Duration.ofDays(days)));
    }

    AdvisoryBuilder rebootSuggested() {
      this.rebootSuggested = true;
      return this;
    }

    AdvisoryBuilder fixes(String name, String evr, String arch) {
      packages.add(new AdvisoryPackage(name, Evr.parse(evr), arch));
      return this;
    }

    Advisory build() {
      return new Advisory(id, id + " title", type, category, severity, issued, List.copyOf(packages), List.of(),
          rebootSuggested);
    }
  }

  static final class BaselineBuilder {
    private final List<ApprovalRule> rules = new ArrayList<>();
    private final List<String> approved = new ArrayList<>();
    private ComplianceLevel approvedLevel = UNSPECIFIED;
    private final List<String> rejected = new ArrayList<>();
    private RejectedPatchesAction action = RejectedPatchesAction.ALLOW_AS_DEPENDENCY;

    BaselineBuilder rule(ApprovalRule rule) {
      rules.add(rule);
      return this;
    }

    BaselineBuilder approve(String... ids) {
      approved.addAll(List.of(ids));
      return this;
    }

    BaselineBuilder approvedLevel(ComplianceLevel level) {
      this.approvedLevel = level;
      return this;
    }

    BaselineBuilder reject(String... patterns) {
      rejected.addAll(List.of(patterns));
      return this;
    }

    BaselineBuilder block() {
      this.action = RejectedPatchesAction.BLOCK;
      return this;
    }

    Baseline build() {
      return new Baseline(1, "test", null, Scenario.ECS, OsFamily.values()[0], List.copyOf(rules),
          List.copyOf(approved), approvedLevel, List.copyOf(rejected), action, false, false, LONG_AGO, LONG_AGO);
    }
  }
}
