package io.patchloop.hosts;

import io.patchloop.common.FieldProblem;
import io.patchloop.common.InvalidInputException;
import io.patchloop.common.OsFamily;
import io.patchloop.common.Problems;
import io.patchloop.common.Scenario;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads hosts from CSV, the format ops teams export from a CMDB or a spreadsheet.
 *
 * <p>The first line names the columns (any order, case-insensitive): {@code name, address, port,
 * username, keyPath, credentialName, osFamily, scenario, tags, access}; only name, address and osFamily
 * are required. {@code tags} holds {@code key=value} pairs separated by {@code ;}. Fields may be
 * double-quoted (RFC 4180), with {@code ""} for a quote inside. Problems of single rows are
 * returned, not thrown, so the import reports them together with the field checks.
 */
public final class HostCsv {

  static final List<String> COLUMNS =
      List.of("name", "address", "port", "username", "keypath", "credentialname", "osfamily", "scenario", "tags",
          "access");

  private HostCsv() {}

  /** The hosts of a CSV body, and for each the line it started on, so errors name the line an editor shows. */
  public record Parsed(List<HostSpec> hosts, List<Integer> lines, List<FieldProblem> problems, int rowCount) {
    public String rowLabel(int index) {
      return "line " + lines.get(index);
    }
  }

  record Record(int line, List<String> fields) {}

  /** As {@link #parse(String, int)} with no limit on the rows. */
  public static Parsed parse(String csv) {
    return parse(csv, Integer.MAX_VALUE);
  }

  /**
   * @param maxRows more host rows than this are refused while the text is read, before any row is
   *     looked at, so an oversized file costs one pass over its characters and nothing more
   */
  public static Parsed parse(String csv, int maxRows) {
    List<Record> records = records(csv, maxRows == Integer.MAX_VALUE ? Integer.MAX_VALUE : maxRows + 1);
    Problems problems = new Problems();
    if (records.isEmpty()) {
      throw new InvalidInputException("body", "CSV is empty: the first line must name the columns");
    }
    List<String> header = records.get(0).fields().stream().map(h -> h.strip().toLowerCase(Locale.ROOT)).toList();
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < header.size(); i++) {
      if (!COLUMNS.contains(header.get(i))) {
        problems.add("line 1." + HostSpec.abbreviate(header.get(i)),
            "unknown column '" + HostSpec.abbreviate(header.get(i)) + "'; columns are " + COLUMNS);
      } else if (!seen.add(header.get(i))) {
        problems.add("line 1." + header.get(i), "column '" + header.get(i) + "' appears twice");
      }
    }
    for (String required : List.of("name", "address", "osfamily")) {
      if (!header.contains(required)) {
        problems.add("line 1." + required, "column '" + required + "' is required");
      }
    }
    problems.throwIfAny("Import rejected: the CSV header is wrong, no host was imported");

    List<HostSpec> specs = new ArrayList<>();
    List<Integer> lines = new ArrayList<>();
    for (int r = 1; r < records.size(); r++) {
      List<String> fields = records.get(r).fields();
      Problems row = problems.nested("line " + records.get(r).line());
      if (fields.size() != header.size()) {
        row.add("columns", "has " + fields.size() + " fields, the header has " + header.size());
        continue;
      }
      Map<String, String> v = new LinkedHashMap<>();
      for (int i = 0; i < header.size(); i++) {
        v.put(header.get(i), fields.get(i).strip());
      }
      lines.add(records.get(r).line());
      specs.add(new HostSpec(
          v.get("name"),
          v.get("address"),
          parsePort(v.get("port"), row),
          v.get("username"),
          v.get("keypath"),
          v.get("credentialname"),
          parseEnum(OsFamily.class, "osFamily", v.get("osfamily"), row),
          parseEnum(Scenario.class, "scenario", v.get("scenario"), row),
          parseTags(v.get("tags"), row),
          parseEnum(AccessMode.class, "access", v.get("access"), row)));
    }
    if (records.size() == 1) {
      throw new InvalidInputException("body", "CSV has a header but no host rows");
    }
    return new Parsed(specs, lines, problems.list(), records.size() - 1);
  }

  private static Integer parsePort(String s, Problems row) {
    if (s == null || s.isEmpty()) {
      return null;
    }
    try {
      return Integer.valueOf(s);
    } catch (NumberFormatException e) {
      row.add("port", "must be a number between 1 and 65535");
      return null;
    }
  }

  private static <E extends Enum<E>> E parseEnum(Class<E> type, String field, String s, Problems row) {
    if (s == null || s.isEmpty()) {
      return null;
    }
    try {
      return Enum.valueOf(type, s.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      row.add(field, "must be one of " + Arrays.toString(type.getEnumConstants()));
      return null;
    }
  }

  private static Map<String, String> parseTags(String s, Problems row) {
    Map<String, String> tags = new LinkedHashMap<>();
    if (s == null || s.isEmpty()) {
      return tags;
    }
    for (String pair : s.split(";")) {
      int eq = pair.indexOf('=');
      if (eq <= 0) {
        row.add("tags", "must be key=value pairs separated by ';', for example zone=az1;app=shop");
        return tags;
      }
      tags.put(pair.substring(0, eq).strip(), pair.substring(eq + 1).strip());
    }
    return tags;
  }

  /** The answer to an import of more than {@code maxRows} hosts. */
  public static InvalidInputException tooManyRows(int maxRows) {
    return new InvalidInputException("body", "at most " + maxRows + " hosts per import; split the file");
  }

  static List<Record> records(String csv) {
    return records(csv, Integer.MAX_VALUE);
  }

  /**
   * RFC 4180 records with the line each starts on; blank lines are skipped.
   *
   * @param maxRecords the header and the most host rows allowed; one more is refused with {@link #tooManyRows}
   */
  static List<Record> records(String csv, int maxRecords) {
    List<Record> records = new ArrayList<>();
    int line = 1;
    int recordLine = 1;
    List<String> fields = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    boolean quoted = false;
    boolean lineHasContent = false;
    for (int i = 0; i < csv.length(); i++) {
      char c = csv.charAt(i);
      if (quoted) {
        if (c == '"' && i + 1 < csv.length() && csv.charAt(i + 1) == '"') {
          field.append('"');
          i++;
        } else if (c == '"') {
          quoted = false;
        } else {
          if (c == '\n') {
            line++;
          }
          field.append(c);
        }
      } else if (c == '"') {
        quoted = true;
        lineHasContent = true;
      } else if (c == ',') {
        fields.add(field.toString());
        field.setLength(0);
        lineHasContent = true;
      } else if (c == '\n' || c == '\r') {
        if (c == '\r' && i + 1 < csv.length() && csv.charAt(i + 1) == '\n') {
          i++;
        }
        if (lineHasContent || field.length() > 0) {
          fields.add(field.toString());
          records.add(new Record(recordLine, fields));
          if (records.size() > maxRecords) {
            throw tooManyRows(maxRecords - 1);
          }
        }
        line++;
        recordLine = line;
        fields = new ArrayList<>();
        field.setLength(0);
        lineHasContent = false;
      } else {
        field.append(c);
        lineHasContent = true;
      }
    }
    if (lineHasContent || field.length() > 0) {
      fields.add(field.toString());
      records.add(new Record(recordLine, fields));
      if (records.size() > maxRecords) {
        throw tooManyRows(maxRecords - 1);
      }
    }
    return records;
  }
}
