package io.patchloop.hosts;

import io.patchloop.common.InvalidInputException;
import java.util.List;

/**
 * A CSV or JSON host import as the API does it, for the API and the console alike: the same size
 * limit, the same CSV parsing, the same all-or-nothing store call.
 */
public final class HostImport {

  public static final int MAX_ROWS = 5000;

  private HostImport() {}

  /** All-or-nothing import of CSV with a header line; errors name the CSV line. */
  public static List<Host> csv(HostStore hosts, String csv) {
    // the row count is checked while the text is read, before any row is parsed or validated
    HostCsv.Parsed parsed = HostCsv.parse(csv, MAX_ROWS);
    checkSize(parsed.rowCount());
    return hosts.importAll(parsed.hosts(), parsed::rowLabel, parsed.problems());
  }

  /** All-or-nothing import of hosts as a JSON array gives them; errors name the array index. */
  public static List<Host> json(HostStore hosts, List<HostSpec> rows) {
    checkSize(rows == null ? 0 : rows.size());
    return hosts.importAll(rows, i -> "[" + i + "]");
  }

  static void checkSize(int rows) {
    if (rows == 0) {
      throw new InvalidInputException("body", "no hosts to import");
    }
    if (rows > MAX_ROWS) {
      throw HostCsv.tooManyRows(MAX_ROWS);
    }
  }
}
