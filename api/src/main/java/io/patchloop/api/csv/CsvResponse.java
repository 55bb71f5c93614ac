package io.patchloop.api.csv;

import io.patchloop.common.InvalidInputException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;

/**
 * A listing answered as a CSV file: RFC 4180 ({@link CsvWriter}), UTF-8 without a byte order mark,
 * a header row, written to the response as the rows come (chunked, no Content-Length, no row limit).
 *
 * <p>How a controller offers CSV beside its JSON:
 *
 * <pre>{@code
 * @GetMapping
 * PageResult<Thing> list(@RequestParam(required = false) String format, HttpServletRequest request,
 *     HttpServletResponse response) throws IOException {
 *   if (CsvResponse.requested(format, request)) {   // 400 naming "format" for anything but csv/json
 *     CsvResponse.stream(response, "things", List.of("id", "name"),
 *         csv -> things.forEach(t -> csv.row(t.id(), t.name())));
 *     return null;                                   // the body is written; Spring writes nothing more
 *   }
 *   return things.page(...);
 * }
 * }</pre>
 *
 * <p>Check what can fail with a 4xx (unknown id, bad filter) before calling {@link #stream}: until
 * the first bytes have gone out, a failure still becomes the usual JSON problem; after that the
 * status line has been sent, so a failure (the database gone mid-listing) is logged and the
 * connection dropped before the chunked body's end, and the caller sees a broken transfer (curl
 * exits 18), never a file that merely looks short.
 */
public final class CsvResponse {

  public static final String TEXT_CSV = "text/csv";

  private static final Logger log = LoggerFactory.getLogger(CsvResponse.class);
  private static final MediaType CSV = MediaType.parseMediaType(TEXT_CSV);

  /** What writes the rows after the header; may throw what the row source throws. */
  @FunctionalInterface
  public interface Rows {
    void writeTo(CsvWriter csv) throws IOException;
  }

  private CsvResponse() {}

  /**
   * Whether the caller asked for CSV: {@code ?format=csv}, or no {@code format} and an Accept header
   * that prefers {@code text/csv} to JSON. {@code format=json} (or none) is JSON whatever Accept says.
   *
   * @throws InvalidInputException (field {@code format}) for any other format
   */
  public static boolean requested(String format, HttpServletRequest request) {
    if (format != null && !format.isBlank()) {
      return switch (format.strip().toLowerCase(Locale.ROOT)) {
        case "csv" -> true;
        case "json" -> false;
        default -> throw new InvalidInputException("format", "must be csv or json");
      };
    }
    return prefersCsv(request.getHeader(HttpHeaders.ACCEPT));
  }

  /** text/csv with a quality above zero, and above that of JSON (application/json, application/*) when both are named. */
  static boolean prefersCsv(String accept) {
    if (accept == null || accept.isBlank()) {
      return false;
    }
    List<MediaType> types;
    try {
      types = MediaType.parseMediaTypes(accept);
    } catch (InvalidMediaTypeException e) {
      return false; // a header we cannot read is treated as absent: JSON, as before
    }
    double csv = 0;
    double json = 0;
    for (MediaType t : types) {
      if (t.isWildcardType()) {
        continue;
      }
      if (t.equalsTypeAndSubtype(CSV)) {
        csv = Math.max(csv, t.getQualityValue());
      } else if (t.getType().equals("application") && (t.isWildcardSubtype() || t.getSubtype().equals("json"))) {
        json = Math.max(json, t.getQualityValue());
      }
    }
    return csv > 0 && csv > json;
  }

  /**
   * Answers 200 with a CSV file named {@code <filenameStem>-<UTC date>.csv}: the header, then what
   * {@code rows} writes, each row on its way as soon as a buffer's worth has gathered.
   */
  public static void stream(HttpServletResponse response, String filenameStem, List<String> header, Rows rows)
      throws IOException {
    Map<String, List<String>> headersBefore = headersOf(response);
    response.setStatus(HttpServletResponse.SC_OK);
    response.setContentType(TEXT_CSV + "; charset=UTF-8");
    response.setCharacterEncoding(StandardCharsets.UTF_8.name());
    response.setHeader(HttpHeaders.CONTENT_DISPOSITION,
        "attachment; filename=\"" + filenameStem + "-" + LocalDate.now(Clock.systemUTC()) + ".csv\"");
    CsvWriter csv = new CsvWriter(
        new BufferedWriter(new OutputStreamWriter(response.getOutputStream(), StandardCharsets.UTF_8), 8192));
    try {
      csv.row(header);
      rows.writeTo(csv);
      csv.flush();
    } catch (IOException | RuntimeException | Error e) {
      if (!response.isCommitted()) {
        // nothing has left yet: forget the CSV and let the exception become the usual problem answer
        response.reset();
        headersBefore.forEach((name, values) -> values.forEach(v -> response.addHeader(name, v)));
        throw e;
      }
      String incident = UUID.randomUUID().toString();
      if (e instanceof IOException || e instanceof UncheckedIOException) {
        // writing failed: almost always the caller hung up (curl interrupted), not ours to alarm anyone about
        log.info("CSV export {} not finished after {} rows, the response could not be written ({}), incident {}",
            filenameStem, csv.rows(), e.toString(), incident);
      } else {
        log.error("CSV export {} broke off after {} rows; the caller gets a truncated transfer, incident {}",
            filenameStem, csv.rows(), incident, e);
      }
      throw new CsvStreamBrokenException(incident, e);
    }
  }

  private static Map<String, List<String>> headersOf(HttpServletResponse response) {
    Map<String, List<String>> headers = new LinkedHashMap<>();
    for (String name : response.getHeaderNames()) {
      headers.put(name, new ArrayList<>(response.getHeaders(name)));
    }
    return headers;
  }
}
