package io.patchloop.collect;

import io.patchloop.hostaccess.HostAccessException;
import io.patchloop.workflows.host.HostErrorKind;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Splits the collector script's stdout into its sections as it streams in, without holding it: a
 * section starts after a marker line of ours ({@code @@patchloop:<nonce> <name>@@}, at the start of
 * a line) and runs to the next one. A section is read as a stream ({@link #body}), so an updateinfo
 * file goes straight into the XML parser, or as text when it is small ({@link #text}). Lines before
 * the first marker are skipped; a marker without our nonce is content.
 */
final class CollectorSections {

  /** Longer than any section name the script prints; a longer line is content, whatever it starts with. */
  private static final int MAX_MARKER_LINE = 4096;

  private final InputStream in;
  private final byte[] marker;
  private final byte[] buffer = new byte[64 * 1024];
  private int pos;
  private int limit;
  private boolean endOfStream;
  private boolean atLineStart = true;
  /** The current section's name; null before the first marker. */
  private String current;
  /** The current section's marker-delimited end was reached (or the stream's). */
  private boolean sectionDone;
  /** The name of the section whose marker ended the current one; null when the stream ended it. */
  private String following;
  private final InputStream body = new Body();

  CollectorSections(InputStream in, String nonce) {
    this.in = in;
    this.marker = (CollectorScript.MARKER_PREFIX + nonce + " ").getBytes(StandardCharsets.US_ASCII);
  }

  /** Moves to the next section, skipping what is left of this one; its name, or null at the end of the stream. */
  String next() throws IOException {
    byte[] skip = new byte[8192];
    while (body.read(skip, 0, skip.length) >= 0) {
      // the rest of the current section is of no use
    }
    if (following == null) {
      current = null;
      return null;
    }
    current = following;
    following = null;
    sectionDone = false;
    return current;
  }

  /** The current section's bytes, up to the next marker; not to be closed. */
  InputStream body() {
    return body;
  }

  /**
   * The current section as text, without the newline the next marker's line put before itself.
   *
   * @throws HostAccessException OUTPUT_UNPARSEABLE when it is longer than {@code maxBytes}
   */
  String text(int maxBytes) throws IOException {
    ByteArrayOutputStream text = new ByteArrayOutputStream();
    byte[] chunk = new byte[8192];
    for (int n; (n = body.read(chunk, 0, chunk.length)) >= 0; ) {
      if (text.size() + n > maxBytes) {
        throw new HostAccessException(HostErrorKind.OUTPUT_UNPARSEABLE, "the collector's '" + current
            + "' section is longer than " + maxBytes + " bytes; no host prints that much there");
      }
      text.write(chunk, 0, n);
    }
    String s = text.toString(StandardCharsets.UTF_8);
    return s.endsWith("\n") ? s.substring(0, s.length() - 1) : s;
  }

  /** Ensures at least {@code n} unread bytes in the buffer, unless the stream ends first; false then. */
  private boolean fill(int n) throws IOException {
    if (limit - pos >= n) {
      return true;
    }
    if (pos > 0) {
      System.arraycopy(buffer, pos, buffer, 0, limit - pos);
      limit -= pos;
      pos = 0;
    }
    while (limit < n && !endOfStream) {
      int read = in.read(buffer, limit, buffer.length - limit);
      if (read < 0) {
        endOfStream = true;
      } else {
        limit += read;
      }
    }
    return limit - pos >= n;
  }

  /**
   * At the start of a line: when it is a marker line of ours, consumes it and returns the section
   * name it opens; otherwise leaves the buffer as it was and returns null.
   */
  private String markerLine() throws IOException {
    if (!fill(marker.length)) {
      return null;
    }
    for (int i = 0; i < marker.length; i++) {
      if (buffer[pos + i] != marker[i]) {
        return null;
      }
    }
    fill(marker.length + MAX_MARKER_LINE + 1);
    int end = pos + marker.length;
    int max = Math.min(limit, pos + marker.length + MAX_MARKER_LINE + 1);
    while (end < max && buffer[end] != '\n') {
      end++;
    }
    boolean lineEnds = end < limit || endOfStream && end == limit;
    if (!lineEnds || end - (pos + marker.length) < 2 || buffer[end - 1] != '@' || buffer[end - 2] != '@') {
      return null;
    }
    String name = new String(buffer, pos + marker.length, end - 2 - (pos + marker.length), StandardCharsets.UTF_8);
    pos = Math.min(limit, end + 1);
    return name;
  }

  /** The current section's bytes: ends at the next marker line, which it consumes, or at the end of the stream. */
  private final class Body extends InputStream {

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (sectionDone) {
        return -1;
      }
      int n = 0;
      while (n < len) {
        if (pos == limit && !fill(1)) {
          sectionDone = true;
          break;
        }
        if (atLineStart) {
          String name = markerLine();
          if (name != null) {
            following = name;
            sectionDone = true;
            break;
          }
          atLineStart = false;
          if (pos == limit) {
            continue;
          }
        }
        // copy up to the end of this line, where the next one may be a marker
        int end = pos;
        int max = Math.min(limit, pos + (len - n));
        while (end < max && buffer[end] != '\n') {
          end++;
        }
        if (end < max) {
          end++; // the newline itself
          atLineStart = true;
        }
        System.arraycopy(buffer, pos, b, off + n, end - pos);
        n += end - pos;
        pos = end;
      }
      return n == 0 && sectionDone ? -1 : n;
    }
  }
}
