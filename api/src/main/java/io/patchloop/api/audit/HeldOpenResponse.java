package io.patchloop.api.audit;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import java.io.PrintWriter;

/**
 * A response whose body a filter or handler can neither close nor flush: the response goes out
 * when the audit filter returns, after it has written the row (or earlier only when it outgrows the
 * container's buffer). A refusal written straight by the security chain (Jackson flushes and closes
 * the stream it writes to) would otherwise reach the caller before its audit row exists; and a
 * flushed answer goes out chunked, which a 413 for a body left unread may not finish before the
 * connection is dropped. Only state-changing requests, whose answers are small, are wrapped.
 */
final class HeldOpenResponse extends HttpServletResponseWrapper {

  private ServletOutputStream stream;
  private PrintWriter writer;

  HeldOpenResponse(HttpServletResponse response) {
    super(response);
  }

  @Override
  public ServletOutputStream getOutputStream() throws IOException {
    if (stream == null) {
      ServletOutputStream real = super.getOutputStream();
      stream = new ServletOutputStream() {
        @Override
        public void write(int b) throws IOException {
          real.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
          real.write(b, off, len);
        }

        @Override
        public void flush() {
          // held: the container sends the answer when the request ends
        }

        @Override
        public void close() {
          // held, as flush
        }

        @Override
        public boolean isReady() {
          return real.isReady();
        }

        @Override
        public void setWriteListener(WriteListener listener) {
          real.setWriteListener(listener);
        }
      };
    }
    return stream;
  }

  @Override
  public PrintWriter getWriter() throws IOException {
    if (writer == null) {
      PrintWriter real = super.getWriter();
      writer = new PrintWriter(real) {
        @Override
        public void flush() {
          // held, as the stream's
        }

        @Override
        public void close() {
          // held, as the stream's
        }
      };
    }
    return writer;
  }
}
