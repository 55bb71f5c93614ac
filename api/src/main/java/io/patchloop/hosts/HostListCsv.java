package io.patchloop.hosts;

import io.patchloop.api.csv.CsvWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.function.Consumer;

/** The host list as CSV: one row per host, with the compliance of its newest report. */
public final class HostListCsv {

  public static final List<String> HEADER = List.of("id", "name", "address", "port", "osFamily", "scenario", "accessMode",
      "tags", "complianceStatus", "baseline", "lastScannedAt", "installed", "installedOther", "pendingReboot",
      "rejected", "missing", "failed");

  private HostListCsv() {}

  /** Writes each row it is given; a failed write (the caller went away) ends the database query with it. */
  public static Consumer<HostExportRow> writingTo(CsvWriter csv) {
    return h -> {
      try {
        csv.row(h.id(), h.name(), h.address(), h.port(), h.osFamily(), h.scenario(), h.access(), h.tags(),
            h.complianceStatus(), h.baselineName(), h.lastScannedAt(), h.installed(), h.installedOther(),
            h.pendingReboot(), h.rejected(), h.missing(), h.failed());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    };
  }
}
