package io.patchloop.hostaccess;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A command's stdout that ends at the output cap: it counts the bytes that pass, keeps none, and
 * says whether the command printed more than the cap.
 */
final class CappedInputStream extends FilterInputStream {

  private final long max;
  private long count;
  private boolean truncated;

  CappedInputStream(InputStream in, long max) {
    super(in);
    this.max = max;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    if (count >= max) {
      // one byte more decides whether the output ended exactly at the cap or went on
      if (!truncated && in.read() >= 0) {
        truncated = true;
      }
      return -1;
    }
    int n = in.read(b, off, (int) Math.min(len, max - count));
    if (n > 0) {
      count += n;
    }
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    byte[] scratch = new byte[(int) Math.min(n, 8192)];
    int read = read(scratch, 0, scratch.length);
    return Math.max(0, read);
  }

  @Override
  public int available() throws IOException {
    return count >= max ? 0 : (int) Math.min(in.available(), max - count);
  }

  @Override
  public boolean markSupported() {
    return false;
  }

  /** Reads and drops the rest, so the command can finish; notes whether the whole was over the cap. */
  void drain() throws IOException {
    byte[] chunk = new byte[64 * 1024];
    for (int n; (n = in.read(chunk)) >= 0; ) {
      count += n;
      if (count > max) {
        truncated = true;
      }
    }
  }

  boolean truncated() {
    return truncated;
  }

  /** Not closed by the reader: the session closes the real stream once it has drained it. */
  @Override
  public void close() {
    // the session owns the stream
  }
}
