package io.patchloop.fleet;

import io.patchloop.api.csv.CsvWriter;
import io.patchloop.compliance.PatchState;
import io.patchloop.reports.HostReport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/** The CVE and advisory views as CSV: one row per CVE or advisory, or per host patch of one of them. */
public final class FleetViewCsv {

  public static final List<String> CVE_HEADER = withStates("cve", "severity", "advisories", "hosts", "affectedHosts");
  public static final List<String> ADVISORY_HEADER = withStates("advisoryId", "severity", "category", "issuedAt",
      "rebootSuggested", "cves", "hosts", "affectedHosts");
  public static final List<String> HOST_PATCH_HEADER = List.of("subject", "hostId", "hostName", "osFamily", "advisoryId", "state",
      "complianceLevel", "packages", "scannedAt");

  private FleetViewCsv() {}

  public static void cves(CsvWriter csv, List<FleetViewStore.CveSummary> cves) throws IOException {
    for (var c : cves) {
      List<Object> row = new ArrayList<>(List.of(c.cve(), c.severity(), String.join(" ", c.advisories()), c.hosts(),
          c.affectedHosts()));
      Arrays.stream(PatchState.values()).forEach(s -> row.add(c.hostsByState().get(s)));
      csv.row(row);
    }
  }

  public static void advisories(CsvWriter csv, List<FleetViewStore.AdvisorySummary> advisories) throws IOException {
    for (var a : advisories) {
      List<Object> row = new ArrayList<>(Arrays.asList(a.advisoryId(), a.severity(), a.category(), a.issuedAt(),
          a.rebootSuggested(), String.join(" ", a.cves()), a.hosts(), a.affectedHosts()));
      Arrays.stream(PatchState.values()).forEach(s -> row.add(a.hostsByState().get(s)));
      csv.row(row);
    }
  }

  /** Writes each host patch it is given; a failed write (the caller went away) ends the database query with it. */
  public static Consumer<FleetViewStore.HostPatch> hostPatches(CsvWriter csv, String subject) {
    return h -> {
      try {
        csv.row(subject, h.hostId(), h.hostName(), h.osFamily(), h.advisoryId(), h.state(), h.complianceLevel(),
            HostReport.Package.asText(h.packages()), h.scannedAt());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    };
  }

  private static List<String> withStates(String... first) {
    List<String> header = new ArrayList<>(List.of(first));
    Arrays.stream(PatchState.values()).forEach(s -> header.add(s.name()));
    return List.copyOf(header);
  }
}
