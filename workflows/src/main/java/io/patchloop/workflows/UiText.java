package io.patchloop.workflows;

/**
 * Texts for Temporal's Web UI cut to what a Temporal server takes. A server refuses a summary
 * over 400 bytes and static details over 20,000 bytes ({@code limit.userMetadataSummarySize},
 * {@code limit.userMetadataDetailsSize}, counted on the payload); refused on a workflow's command,
 * the workflow task would fail again and again. So every text is cut, on a character boundary and
 * with "…", to {@link #MAX_SUMMARY_BYTES} and {@link #MAX_DETAILS_BYTES} of JSON: well inside those
 * limits with the payload's own encoding.
 */
public final class UiText {

  /** The most a summary's JSON text takes: the server's 400 bytes less the payload's encoding, with room to spare. */
  public static final int MAX_SUMMARY_BYTES = 320;
  /** The most static details' JSON text takes: the server's 20,000 bytes with room to spare. */
  public static final int MAX_DETAILS_BYTES = 16_000;

  private UiText() {}

  /** {@code text} cut to what a summary may take ({@link #MAX_SUMMARY_BYTES}). */
  public static String summary(String text) {
    return clamp(text, MAX_SUMMARY_BYTES);
  }

  /** {@code text} cut to what static details may take ({@link #MAX_DETAILS_BYTES}). */
  public static String details(String text) {
    return clamp(text, MAX_DETAILS_BYTES);
  }

  /**
   * {@code text} whole when its JSON string takes at most {@code maxBytes} of UTF-8, else cut on a
   * character boundary and ended with "…" within them. A quote or a backslash counts two bytes, a
   * control character six and a character past the BMP twelve, as Temporal's JSON writes them.
   */
  static String clamp(String text, int maxBytes) {
    if (jsonBytes(text) <= maxBytes) {
      return text;
    }
    int budget = maxBytes - 3; // "…" is three bytes
    int used = 0;
    int end = 0;
    while (end < text.length()) {
      int cp = text.codePointAt(end);
      int bytes = jsonBytes(cp);
      if (used + bytes > budget) {
        break;
      }
      used += bytes;
      end += Character.charCount(cp);
    }
    return text.substring(0, end) + "…";
  }

  private static int jsonBytes(String text) {
    int bytes = 0;
    for (int i = 0; i < text.length(); ) {
      int cp = text.codePointAt(i);
      bytes += jsonBytes(cp);
      i += Character.charCount(cp);
    }
    return bytes;
  }

  private static int jsonBytes(int cp) {
    if (cp == '"' || cp == '\\') {
      return 2;
    }
    if (cp < 0x20) {
      return 6;
    }
    // Temporal's JSON writes a character past the BMP (an emoji) as two escaped UTF-16 halves, 6 bytes each
    return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 12;
  }
}
