package io.patchloop.api.limits;

import java.io.IOException;

/**
 * Thrown by the request's input stream once it has given more bytes than the endpoint takes. An
 * {@link IOException}, so that JSON and text readers pass it on as a failed read; the API's
 * exception handler finds it among the causes and answers 413.
 */
public class RequestBodyTooLargeException extends IOException {

  private final long limit;

  public RequestBodyTooLargeException(long limit) {
    super("the request body is larger than " + limit + " bytes");
    this.limit = limit;
  }

  public long limit() {
    return limit;
  }

  /** The reason given under the field {@code body}. */
  public static String reason(long limit) {
    return "must be at most " + limit + " bytes" + (limit % (1024 * 1024) == 0 ? " (" + limit / (1024 * 1024) + " MiB)"
        : limit % 1024 == 0 ? " (" + limit / 1024 + " KiB)" : "");
  }
}
