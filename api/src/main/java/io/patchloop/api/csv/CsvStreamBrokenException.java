package io.patchloop.api.csv;

/**
 * A CSV answer failed after its first bytes had gone out: the status cannot change anymore, so the
 * only honest signal left is to end the connection without the chunked body's last chunk. Already
 * logged with its incident id; whoever handles it must write nothing more.
 */
public class CsvStreamBrokenException extends RuntimeException {

  private final String incident;

  CsvStreamBrokenException(String incident, Throwable cause) {
    super("CSV answer broken off, incident " + incident, cause);
    this.incident = incident;
  }

  public String incident() {
    return incident;
  }
}
