package io.patchloop.api.problems;

import io.patchloop.api.csv.CsvStreamBrokenException;
import io.patchloop.api.audit.AuditUnavailableException;
import io.patchloop.api.limits.RequestBodyTooLargeException;
import io.patchloop.common.ConflictException;
import io.patchloop.common.FieldProblem;
import io.patchloop.common.InvalidInputException;
import io.patchloop.common.NotFoundException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.exc.InvalidFormatException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

/**
 * Turns every failure into an RFC 9457 problem: 400 with an {@code errors} list of
 * {@code {field, reason}} for bad input, 404, 409, and a bare 500 with an id to find in the log.
 * Never a stack trace to the caller.
 */
@RestControllerAdvice
public class ApiExceptionHandler extends ResponseEntityExceptionHandler {

  private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);

  @ExceptionHandler(InvalidInputException.class)
  ProblemDetail invalid(InvalidInputException e) {
    return withErrors(HttpStatus.BAD_REQUEST, "Invalid request", e.getMessage(), e.problems());
  }

  @ExceptionHandler(NotFoundException.class)
  ProblemDetail notFound(NotFoundException e) {
    ProblemDetail p = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, e.getMessage());
    p.setTitle("Not found");
    return p;
  }

  @ExceptionHandler(ConflictException.class)
  ProblemDetail conflict(ConflictException e) {
    return withErrors(HttpStatus.CONFLICT, "Conflict", e.getMessage(),
        List.of(new FieldProblem(e.field(), e.getMessage())));
  }

  /** The change was rolled back because its audit row could not be written with it: retry later. */
  @ExceptionHandler(AuditUnavailableException.class)
  ProblemDetail auditUnavailable(AuditUnavailableException e) {
    ProblemDetail p = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE,
        "the audit log cannot be written just now, so the change was not made; try again later");
    p.setTitle("Audit log unavailable");
    return p;
  }

  @ExceptionHandler(MethodArgumentTypeMismatchException.class)
  ProblemDetail badParameter(MethodArgumentTypeMismatchException e) {
    Class<?> type = e.getRequiredType();
    String reason = "must be " + (type == null ? "a valid value" : describe(type));
    return withErrors(HttpStatus.BAD_REQUEST, "Invalid request", "parameter '" + e.getName() + "' " + reason,
        List.of(new FieldProblem(e.getName(), reason)));
  }

  /**
   * A CSV answer that failed after its first bytes (already logged): rethrown as it is, so that no
   * problem is written after the rows and the container drops the connection without the chunked
   * body's end, which the caller sees as a broken transfer.
   */
  @ExceptionHandler(CsvStreamBrokenException.class)
  void csvBrokenOff(CsvStreamBrokenException e) {
    throw e;
  }

  @ExceptionHandler(Exception.class)
  ProblemDetail unexpected(Exception e) {
    String incident = UUID.randomUUID().toString();
    log.error("unexpected error, incident {}", incident, e);
    ProblemDetail p = ProblemDetail.forStatusAndDetail(HttpStatus.INTERNAL_SERVER_ERROR,
        "Patchloop hit an unexpected error; the server log has the details under incident " + incident);
    p.setTitle("Internal error");
    p.setProperty("incident", incident);
    return p;
  }

  /** Malformed JSON, unknown fields, wrong types and unknown enum values, each named by its JSON path. */
  @Override
  protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException e,
      HttpHeaders headers, HttpStatusCode status, WebRequest request) {
    RequestBodyTooLargeException tooLarge = causeOfType(e, RequestBodyTooLargeException.class);
    if (tooLarge != null) {
      return ResponseEntity.status(HttpStatus.CONTENT_TOO_LARGE).body(tooLarge(tooLarge));
    }
    Throwable cause = jacksonCause(e);
    FieldProblem problem;
    if (cause instanceof StreamConstraintsException c) {
      problem = new FieldProblem("body", "exceeds a limit of the API: " + withoutJacksonNames(c.getOriginalMessage()));
    } else if (cause instanceof UnrecognizedPropertyException u) {
      // a made-up name may be up to 1 KiB long (the read limit); the answer names at most its start
      problem = new FieldProblem(abbreviate(path(u), 100), "is not a known field" + known(u));
    } else if (cause instanceof InvalidFormatException f && f.getTargetType() != null && f.getTargetType().isEnum()) {
      problem = new FieldProblem(path(f), "must be one of " + Arrays.toString(f.getTargetType().getEnumConstants()));
    } else if (cause instanceof MismatchedInputException m) {
      String type = m.getTargetType() == null ? "a valid value" : describe(m.getTargetType());
      problem = new FieldProblem(path(m), "must be " + type);
    } else if (cause instanceof StreamReadException r) {
      problem = new FieldProblem("body", "is not valid JSON"
          + (r.getLocation() == null ? "" : " (line " + r.getLocation().getLineNr() + ", column "
              + r.getLocation().getColumnNr() + ")"));
    } else if (cause instanceof JacksonException j) {
      problem = new FieldProblem(path(j), "cannot be read: " + j.getOriginalMessage());
    } else {
      problem = new FieldProblem("body", "is missing or unreadable");
    }
    return ResponseEntity.badRequest().body(
        withErrors(HttpStatus.BAD_REQUEST, "Invalid request", problem.field() + " " + problem.reason(), List.of(problem)));
  }

  /** A body cut off while it was read (it had no Content-Length, or a false one): 413. */
  @ExceptionHandler(RequestBodyTooLargeException.class)
  ProblemDetail tooLarge(RequestBodyTooLargeException e) {
    return withErrors(HttpStatus.CONTENT_TOO_LARGE, "Request too large", "the request body is larger than the "
        + e.limit() + " bytes this endpoint takes",
        List.of(new FieldProblem("body", RequestBodyTooLargeException.reason(e.limit()))));
  }

  private static String abbreviate(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max) + "…";
  }

  private static <T extends Throwable> T causeOfType(Throwable e, Class<T> type) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
    }
    return null;
  }

  /** "Document nesting depth (33) exceeds the maximum allowed (32)", without Jackson's method names. */
  private static String withoutJacksonNames(String message) {
    return message == null ? "the JSON is too large" : message.replaceAll(",? from `[^`]*`", "");
  }

  /** The first Jackson exception in the chain: it carries the JSON path, the root cause (a DateTimeParseException, say) does not. */
  private static Throwable jacksonCause(HttpMessageNotReadableException e) {
    for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
      if (t instanceof JacksonException) {
        return t;
      }
    }
    return e.getMostSpecificCause();
  }

  private static String known(UnrecognizedPropertyException u) {
    var ids = u.getKnownPropertyIds();
    return ids == null || ids.isEmpty() ? "" : "; known fields: " + ids.stream().map(String::valueOf).sorted().toList();
  }

  private static String describe(Class<?> type) {
    if (type.isEnum()) {
      return "one of " + Arrays.toString(type.getEnumConstants());
    }
    if (type == boolean.class || type == Boolean.class) {
      return "true or false";
    }
    if (Number.class.isAssignableFrom(type) || type.isPrimitive()) {
      return "a number";
    }
    if (List.class.isAssignableFrom(type) || type.isArray()) {
      return "an array";
    }
    if (Map.class.isAssignableFrom(type)) {
      return "an object";
    }
    if (type == String.class) {
      return "a string";
    }
    if (type.getName().startsWith("java.time.")) {
      return "a date in ISO-8601 form";
    }
    return "an object";
  }

  /** {@code rules[2].approveAfterDays}, from Jackson's reference chain. */
  static String path(JacksonException e) {
    StringBuilder sb = new StringBuilder();
    for (var ref : e.getPath()) {
      if (ref.getPropertyName() != null) {
        if (!sb.isEmpty()) {
          sb.append('.');
        }
        sb.append(ref.getPropertyName());
      } else if (ref.getIndex() >= 0) {
        sb.append('[').append(ref.getIndex()).append(']');
      }
    }
    return sb.isEmpty() ? "body" : sb.toString();
  }

  private static ProblemDetail withErrors(HttpStatus status, String title, String detail, List<FieldProblem> errors) {
    ProblemDetail p = ProblemDetail.forStatusAndDetail(status, detail);
    p.setTitle(title);
    p.setProperty("errors", errors);
    return p;
  }
}
