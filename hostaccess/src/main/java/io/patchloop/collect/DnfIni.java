package io.patchloop.collect;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A dnf/yum configuration file read the way libdnf 0.6x reads it, so that what we believe a host's
 * dnf sees is what it sees: sections in brackets, {@code key=value} lines, comment lines starting
 * with {@code #} or {@code ;} in the first column, continuation lines (indented) appending
 * {@code "\n" + line} to the previous value, a later key of a section replacing an earlier one, a
 * repeated section adding to the first.
 *
 * <p>Source: libdnf {@code libdnf/utils/iniparser/iniparser.cpp} and
 * {@code libdnf/conf/ConfigParser.cpp}; the details that differ between libdnf versions were
 * checked against libdnf 0.69 (python3-libdnf 0.69.0 on Debian 12, the lab's dnf): there, an empty
 * line or a first-column comment ends a value, so an indented line after it is an "Illegal
 * continuation line" and the whole file is refused; a {@code #} inside a value is part of it; the
 * text after {@code ]} may only be blanks or a comment.
 */
final class DnfIni {

  /** The file is not valid for libdnf: dnf skips a whole .repo file like this, and refuses a bad main config. */
  static final class SyntaxError extends Exception {
    private final int line;

    SyntaxError(int line, String message) {
      super(message + " at line " + line);
      this.line = line;
    }

    int line() {
      return line;
    }
  }

  private final Map<String, Map<String, String>> sections;

  private DnfIni(Map<String, Map<String, String>> sections) {
    this.sections = sections;
  }

  /** Sections in file order, each with its raw (unsubstituted) values in key order. */
  Map<String, Map<String, String>> sections() {
    return Collections.unmodifiableMap(sections);
  }

  Optional<String> value(String section, String key) {
    Map<String, String> values = sections.get(section);
    return values == null ? Optional.empty() : Optional.ofNullable(values.get(key));
  }

  static DnfIni parse(String content) throws SyntaxError {
    Map<String, Map<String, String>> sections = new LinkedHashMap<>();
    String section = null;
    String key = null;
    StringBuilder value = null;
    // getline() semantics: only '\n' ends a line ("\r" is trimmed like a blank, below)
    List<String> lines = List.of(content.split("\n", -1));
    for (int i = 0; i < lines.size(); i++) {
      int lineNumber = i + 1;
      String line = lines.get(i);
      if (i == 0 && line.startsWith("\uFEFF")) {
        line = line.substring(1);
      }
      if (line.startsWith("#") || line.startsWith(";")) {
        key = flush(sections, section, key, value);
        value = null;
        continue;
      }
      int start = firstNotOf(line, " \t\r");
      if (start < 0) {
        key = flush(sections, section, key, value);
        value = null;
        continue;
      }
      int end = lastNotOf(line, " \t\r");
      if (line.charAt(start) == '[') {
        key = flush(sections, section, key, value);
        value = null;
        int close = line.indexOf(']', start + 1);
        if (close < 0) {
          throw new SyntaxError(lineNumber, "Missing ']'");
        }
        if (close == start + 1) {
          throw new SyntaxError(lineNumber, "Empty section name");
        }
        for (int c = close + 1; c < end; c++) {
          char ch = line.charAt(c);
          if (ch == '#' || ch == ';') {
            break;
          }
          if (ch != ' ' && ch != '\t' && ch != '\r') {
            throw new SyntaxError(lineNumber, "Text after section");
          }
        }
        section = line.substring(start + 1, close);
        sections.computeIfAbsent(section, s -> new LinkedHashMap<>());
        continue;
      }
      if (section == null) {
        throw new SyntaxError(lineNumber, "Missing section header");
      }
      if (start > 0) {
        if (key == null) {
          throw new SyntaxError(lineNumber, "Illegal continuation line");
        }
        value.append('\n').append(line, start, end + 1);
        continue;
      }
      key = flush(sections, section, key, value);
      if (line.charAt(0) == '=') {
        throw new SyntaxError(lineNumber, "Missing key");
      }
      int eq = line.indexOf('=');
      if (eq < 0) {
        throw new SyntaxError(lineNumber, "Missing '='");
      }
      int keyEnd = lastNotOf(line.substring(0, eq), " \t");
      key = line.substring(0, keyEnd + 1);
      int valueStart = firstNotOf(line.substring(eq + 1), " \t");
      value = new StringBuilder();
      if (valueStart >= 0 && eq + 1 + valueStart <= end) {
        value.append(line, eq + 1 + valueStart, end + 1);
      }
    }
    flush(sections, section, key, value);
    return new DnfIni(sections);
  }

  /** Stores the pending key's value; returns null (no value pending any more). */
  private static String flush(Map<String, Map<String, String>> sections, String section, String key, StringBuilder value) {
    if (key != null && section != null) {
      sections.get(section).put(key, value.toString());
    }
    return null;
  }

  private static int firstNotOf(String s, String chars) {
    for (int i = 0; i < s.length(); i++) {
      if (chars.indexOf(s.charAt(i)) < 0) {
        return i;
      }
    }
    return -1;
  }

  private static int lastNotOf(String s, String chars) {
    for (int i = s.length() - 1; i >= 0; i--) {
      if (chars.indexOf(s.charAt(i)) < 0) {
        return i;
      }
    }
    return -1;
  }
}
