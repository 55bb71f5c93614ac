package io.patchloop.api.audit;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import java.io.PrintWriter;

/**
 * A response whose body a filter or handler cannot close: closing only flushes, so the response
 * ends when the audit filter returns, after it has written the row. A refusal written straight by
 * the security chain (Jackson closes the stream it writes to) would otherwise reach the caller
 * before its audit row exists.
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
        public void flush() throws IOException {
          real.flush();
        }

        @Override
        public void close() throws IOException {
          real.flush();
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
        public void close() {
          real.flush();
        }
      };
    }
    return writer;
  }
}
