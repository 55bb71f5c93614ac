package io.patchloop.api.limits;

import io.patchloop.api.problems.ProblemWriter;
import io.patchloop.common.FieldProblem;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Caps the body of every API request while it is read: a request that announces a larger
 * {@code Content-Length} is answered 413 at once, unread; one without (chunked) is cut off at the
 * first byte past the limit, so no reader ever buffers more than the limit. The host import may be
 * larger than the rest.
 */
public class RequestBodyLimitFilter extends OncePerRequestFilter {

  static final String IMPORT_PATH = "/api/v1/hosts/import";

  private final RequestBoundsProperties bounds;
  private final ProblemWriter problems;

  public RequestBodyLimitFilter(RequestBoundsProperties bounds, ProblemWriter problems) {
    this.bounds = bounds;
    this.problems = problems;
  }

  @Override
  protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    long limit = limitFor(request);
    if (request.getContentLengthLong() > limit) {
      tooLarge(problems, request, response, limit);
      return;
    }
    chain.doFilter(new Limited(request, limit), response);
  }

  long limitFor(HttpServletRequest request) {
    String path = request.getRequestURI().substring(request.getContextPath().length());
    return IMPORT_PATH.equals(path) ? bounds.maxImportSize().toBytes() : bounds.maxBodySize().toBytes();
  }

  /** The 413 answer, in the API's problem format with the field {@code body}. */
  public static void tooLarge(ProblemWriter problems, HttpServletRequest request, HttpServletResponse response,
      long limit) throws IOException {
    response.setHeader("Connection", "close"); // the rest of the body is not read
    problems.write(request, response, HttpStatus.CONTENT_TOO_LARGE, "Request too large",
        "the request body is larger than the " + limit + " bytes " + request.getMethod() + " "
            + request.getRequestURI() + " takes",
        List.of(new FieldProblem("body", RequestBodyTooLargeException.reason(limit))));
  }

  /** The request with an input stream (and reader) that refuse to give more than {@code limit} bytes. */
  private static final class Limited extends HttpServletRequestWrapper {

    private final long limit;
    private ServletInputStream stream;
    private BufferedReader reader;

    Limited(HttpServletRequest request, long limit) {
      super(request);
      this.limit = limit;
    }

    @Override
    public ServletInputStream getInputStream() throws IOException {
      if (stream == null) {
        stream = new LimitedInputStream(super.getInputStream(), limit);
      }
      return stream;
    }

    @Override
    public BufferedReader getReader() throws IOException {
      if (reader == null) {
        String encoding = getCharacterEncoding();
        Charset charset = encoding == null ? StandardCharsets.ISO_8859_1 : Charset.forName(encoding);
        reader = new BufferedReader(new InputStreamReader(getInputStream(), charset));
      }
      return reader;
    }
  }

  private static final class LimitedInputStream extends ServletInputStream {

    private final ServletInputStream in;
    private final long limit;
    private long read;

    LimitedInputStream(ServletInputStream in, long limit) {
      this.in = in;
      this.limit = limit;
    }

    @Override
    public int read() throws IOException {
      refuseIfOver();
      int b = in.read();
      if (b >= 0) {
        count(1);
      }
      return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      refuseIfOver();
      // never ask for more than one byte past the limit: that byte is enough to know
      int n = in.read(buffer, offset, (int) Math.min(length, limit - read + 1));
      if (n > 0) {
        count(n);
      }
      return n;
    }

    private void count(int n) throws RequestBodyTooLargeException {
      read += n;
      refuseIfOver();
    }

    /** Once over, every further read fails the same way: a reader that swallowed the first failure learns again. */
    private void refuseIfOver() throws RequestBodyTooLargeException {
      if (read > limit) {
        throw new RequestBodyTooLargeException(limit);
      }
    }

    @Override
    public boolean isFinished() {
      return in.isFinished();
    }

    @Override
    public boolean isReady() {
      return in.isReady();
    }

    @Override
    public void setReadListener(ReadListener listener) {
      in.setReadListener(listener);
    }

    @Override
    public int available() throws IOException {
      return in.available();
    }

    @Override
    public void close() throws IOException {
      in.close();
    }
  }
}
