package io.patchloop.collect;

/**
 * A collector command's framed output as text ({@link CollectorScript#probe}, {@link CollectorScript#refresh}),
 * with the nonce of the captured fixtures: to read one section of a captured output, and to change
 * one for a test (a section replaced, removed or added) without touching the rest.
 */
final class FramedText {

  static final String NONCE = CapturedCommandLinesTest.NONCE;
  private static final String NEXT = "\n" + CollectorScript.MARKER_PREFIX + NONCE + " ";

  private FramedText() {}

  /** A marker line as the script's {@code s} function prints it, and the body after it. */
  static String section(String name, String body) {
    return NEXT + name + "@@\n" + body;
  }

  /** The body of the first section of that name, as {@link CollectorSections#text} reads it. */
  static String body(String framed, String name) {
    int[] at = find(framed, name);
    return framed.substring(at[1], at[2]);
  }

  static String replace(String framed, String name, String body) {
    int[] at = find(framed, name);
    return framed.substring(0, at[1]) + body + framed.substring(at[2]);
  }

  static String remove(String framed, String name) {
    int[] at = find(framed, name);
    return framed.substring(0, at[0]) + framed.substring(at[2]);
  }

  /** Adds a section just before the first section named {@code before}. */
  static String insertBefore(String framed, String before, String name, String body) {
    int[] at = find(framed, before);
    return framed.substring(0, at[0]) + section(name, body) + framed.substring(at[0]);
  }

  /** The names of the sections, in order. */
  static java.util.List<String> names(String framed) {
    java.util.List<String> names = new java.util.ArrayList<>();
    for (int i = framed.indexOf(NEXT); i >= 0; i = framed.indexOf(NEXT, i + 1)) {
      int end = framed.indexOf("@@\n", i + NEXT.length());
      names.add(framed.substring(i + NEXT.length(), end));
    }
    return names;
  }

  /** Where the marker starts, where the body starts, where it ends. */
  private static int[] find(String framed, String name) {
    String marker = NEXT + name + "@@\n";
    int start = framed.indexOf(marker);
    if (start < 0) {
      throw new AssertionError("no section '" + name + "' in the framed output");
    }
    int body = start + marker.length();
    int end = framed.indexOf(NEXT, body);
    return new int[] {start, body, end < 0 ? framed.length() : end};
  }
}
