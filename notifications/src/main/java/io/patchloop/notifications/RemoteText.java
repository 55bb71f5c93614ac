package io.patchloop.notifications;

/** Text that came from a remote end (a body, a banner, an exception quoting one), cut down for an admin to read. */
public final class RemoteText {

  public static final int MAX_CHARS = 200;

  private RemoteText() {}

  /** At most {@link #MAX_CHARS} printable characters: control characters become spaces, runs of spaces one; null stays null. */
  public static String excerpt(String text) {
    if (text == null) {
      return null;
    }
    StringBuilder b = new StringBuilder(Math.min(text.length(), MAX_CHARS));
    boolean space = false;
    for (int i = 0; i < text.length() && b.length() < MAX_CHARS; ) {
      int cp = text.codePointAt(i);
      i += Character.charCount(cp);
      boolean printable = !Character.isISOControl(cp) && Character.getType(cp) != Character.FORMAT
          && Character.getType(cp) != Character.UNASSIGNED && Character.getType(cp) != Character.PRIVATE_USE
          && Character.getType(cp) != Character.SURROGATE && cp != 0xFFFD;
      if (!printable || Character.isWhitespace(cp)) {
        space = b.length() > 0;
        continue;
      }
      if (space) {
        b.append(' ');
        space = false;
        if (b.length() >= MAX_CHARS) {
          break;
        }
      }
      if (b.length() + Character.charCount(cp) > MAX_CHARS) {
        break;
      }
      b.appendCodePoint(cp);
    }
    String s = b.toString().strip();
    return s.isEmpty() ? null : s;
  }
}
