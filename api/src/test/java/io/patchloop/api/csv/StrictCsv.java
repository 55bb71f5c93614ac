package io.patchloop.api.csv;

import java.util.ArrayList;
import java.util.List;

/**
 * An RFC 4180 reader that refuses anything the RFC does not allow: records end in CRLF (the last one
 * too), a quote only opens a field or ends it, quotes inside a quoted field are doubled, a bare CR
 * or LF outside quotes is an error, and every record has as many fields as the header.
 */
public final class StrictCsv {

  private StrictCsv() {}

  public static List<List<String>> parse(String text) {
    List<List<String>> records = new ArrayList<>();
    List<String> record = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    int i = 0;
    int n = text.length();
    if (n == 0) {
      throw new IllegalArgumentException("empty file: no header");
    }
    while (i < n) {
      if (text.charAt(i) == '"') {
        i++;
        while (true) {
          if (i >= n) {
            throw new IllegalArgumentException("unterminated quoted field in record " + (records.size() + 1));
          }
          char c = text.charAt(i);
          if (c == '"') {
            if (i + 1 < n && text.charAt(i + 1) == '"') {
              field.append('"');
              i += 2;
            } else {
              i++;
              break;
            }
          } else {
            field.append(c);
            i++;
          }
        }
      } else {
        while (i < n && text.charAt(i) != ',' && text.charAt(i) != '\r' && text.charAt(i) != '\n') {
          if (text.charAt(i) == '"') {
            throw new IllegalArgumentException("quote inside an unquoted field in record " + (records.size() + 1));
          }
          field.append(text.charAt(i++));
        }
      }
      if (i >= n) {
        throw new IllegalArgumentException("last record does not end with CRLF");
      }
      char c = text.charAt(i);
      record.add(field.toString());
      field.setLength(0);
      if (c == ',') {
        i++;
        if (i >= n) {
          throw new IllegalArgumentException("file ends after a comma");
        }
      } else if (c == '\r' && i + 1 < n && text.charAt(i + 1) == '\n') {
        i += 2;
        if (!records.isEmpty() && record.size() != records.get(0).size()) {
          throw new IllegalArgumentException("record " + (records.size() + 1) + " has " + record.size()
              + " fields, the header " + records.get(0).size());
        }
        records.add(record);
        record = new ArrayList<>();
      } else {
        throw new IllegalArgumentException("bare CR or LF, or text after a closing quote, in record " + (records.size() + 1));
      }
    }
    return records;
  }
}
