package io.patchloop.api.csv;

import java.io.IOException;
import java.io.Writer;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Writes CSV as RFC 4180 has it: fields separated by commas, records ended by CRLF, a field quoted
 * when it holds a comma, a double quote, CR or LF, its quotes doubled. {@code null} is the empty
 * field; an {@link Instant} is ISO-8601 UTC; an enum is its name.
 *
 * <p>Spreadsheet formula injection (OWASP "CSV injection"): a text field starting with {@code =},
 * {@code +}, {@code -}, {@code @}, TAB or CR is one Excel and LibreOffice may run as a formula, and
 * some of our text comes from hosts or their users (failure messages, tag values, OS names). Such a
 * field gets a leading {@code '} (and is then quoted like any other), which spreadsheets show as
 * text; a number (-12, -0.5) is left alone. The price: a program reading the file sees the
 * {@code '} too. Our numeric columns are counts and our times start with a digit, so only free text
 * is ever changed.
 */
public final class CsvWriter {

  private static final Pattern PLAIN_NUMBER = Pattern.compile("[+-]?\\d+(\\.\\d+)?");

  private final Writer out;
  private long rows;

  public CsvWriter(Writer out) {
    this.out = out;
  }

  public void row(Object... fields) throws IOException {
    row(Arrays.asList(fields));
  }

  public void row(List<?> fields) throws IOException {
    for (int i = 0; i < fields.size(); i++) {
      if (i > 0) {
        out.write(',');
      }
      out.write(field(fields.get(i)));
    }
    out.write("\r\n");
    rows++;
  }

  /** Records written so far, the header included. */
  public long rows() {
    return rows;
  }

  public void flush() throws IOException {
    out.flush();
  }

  /** One field as it goes in the file: made text, defused, quoted when RFC 4180 wants it. */
  static String field(Object value) {
    String text = text(value);
    if (startsLikeAFormula(text)) {
      text = "'" + text;
    }
    boolean quote = false;
    for (int i = 0; i < text.length() && !quote; i++) {
      char c = text.charAt(i);
      quote = c == ',' || c == '"' || c == '\r' || c == '\n';
    }
    return quote ? '"' + text.replace("\"", "\"\"") + '"' : text;
  }

  private static String text(Object value) {
    if (value == null) {
      return "";
    }
    if (value instanceof Enum<?> e) {
      return e.name();
    }
    return value.toString(); // Instant.toString() is ISO-8601 in UTC
  }

  private static boolean startsLikeAFormula(String text) {
    if (text.isEmpty()) {
      return false;
    }
    char first = text.charAt(0);
    boolean risky = first == '=' || first == '+' || first == '-' || first == '@' || first == '\t' || first == '\r';
    return risky && !PLAIN_NUMBER.matcher(text).matches();
  }
}
