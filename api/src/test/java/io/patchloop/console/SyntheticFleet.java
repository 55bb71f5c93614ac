package io.patchloop.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.patchloop.baselines.Baseline;
import io.patchloop.baselines.BaselineStore;
import io.patchloop.baselines.PatchCategory;
import io.patchloop.baselines.PatchSeverity;
import io.patchloop.common.OsFamily;
import io.patchloop.compliance.ComplianceEngine;
import io.patchloop.inventory.Advisory;
import io.patchloop.inventory.AdvisoryPackage;
import io.patchloop.inventory.HostInventory;
import io.patchloop.inventory.InstalledPackage;
import io.patchloop.reports.ReportStore;
import io.patchloop.rpm.Evr;
import io.patchloop.testing.http.ApiClient;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Hosts registered through the API and reports written by the same store and engine a scan uses,
 * from generated inventories, for console pages that need a fleet without scanning one. Host i of
 * a fleet:
 * <ul>
 *   <li>is HCE when i is even, CentOS when odd (each under its OS's built-in default baseline);
 *   <li>carries {@code zone=az(i % 3 + 1)};
 *   <li>has no report when {@code i % 4 == 3}; otherwise its {@code advisories} security advisories
 *       (Critical and Important in turn, issued 30 days ago) of which the first {@code i % 4} are
 *       missing and the rest installed: compliant when {@code i % 4 == 0}.
 * </ul>
 */
final class SyntheticFleet {

  static final Instant SCANNED_AT = Instant.parse("2026-11-30T08:00:00Z");

  private SyntheticFleet() {}

  /** Registers and reports {@code hosts} hosts named {@code prefix-<i>}; returns their ids in order. */
  static List<Long> create(ApiClient admin, ReportStore reports, BaselineStore baselines, String prefix, int hosts,
      int advisories) {
    Baseline hce = builtIn(baselines, OsFamily.HCE, "HCE-default");
    Baseline centos = builtIn(baselines, OsFamily.CENTOS, "CentOS-default");
    ComplianceEngine engine = new ComplianceEngine();
    List<Long> ids = new ArrayList<>();
    for (int i = 0; i < hosts; i++) {
      OsFamily os = i % 2 == 0 ? OsFamily.HCE : OsFamily.CENTOS;
      var created = admin.post("/api/v1/hosts", ApiClient.json(Map.of("name", prefix + "-" + i,
          "address", "10.0." + (i / 250) + "." + (i % 250 + 1), "port", 22, "keyPath", "/keys/lab",
          "osFamily", os.name(), "tags", Map.of("zone", "az" + (i % 3 + 1)))));
      assertThat(created.status()).as(created.toString()).isEqualTo(201);
      long id = created.json().get("id").asLong();
      ids.add(id);
      if (i % 4 == 3) {
        continue;
      }
      HostInventory inventory = inventory(i % 4, advisories);
      Baseline baseline = os == OsFamily.HCE ? hce : centos;
      reports.replace(id, baseline.id(), null, "SCAN", SCANNED_AT, inventory,
          engine.evaluate(inventory, baseline, SCANNED_AT, Set.of()));
    }
    return ids;
  }

  /** A host with {@code advisories} advisories, one package each, the first {@code missing} of them not installed. */
  static HostInventory inventory(int missing, int advisories) {
    Instant issued = SCANNED_AT.minusSeconds(30 * 86_400L);
    List<InstalledPackage> installed = new ArrayList<>();
    List<Advisory> list = new ArrayList<>();
    for (int j = 0; j < advisories; j++) {
      String name = "pkg" + j;
      installed.add(new InstalledPackage(name, Evr.parse("1.0-1"), "x86_64", issued));
      Evr fixed = Evr.parse(j < missing ? "1.0-2" : "1.0-1");
      list.add(new Advisory("SYN-SA-2026-%04d".formatted(j), name, "security", PatchCategory.SECURITY,
          j % 2 == 0 ? PatchSeverity.CRITICAL : PatchSeverity.IMPORTANT, issued,
          List.of(new AdvisoryPackage(name, fixed, "x86_64")), List.of("CVE-2026-%05d".formatted(j)), false));
    }
    return new HostInventory("hce", "2.0", "HCE 2.0", "5.10.0-1.hce2.x86_64", SCANNED_AT.minusSeconds(86_400),
        installed, Set.of(), list, false, 60L);
  }

  private static Baseline builtIn(BaselineStore baselines, OsFamily os, String name) {
    return baselines.list(os).stream().filter(b -> b.name().equals(name)).findFirst().orElseThrow();
  }
}
