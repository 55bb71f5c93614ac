package io.patchloop.reports;

import io.patchloop.common.InvalidInputException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Compliance")
class ComplianceHistoryController {

  private final ComplianceHistoryStore history;
  private final ComplianceHistoryProperties properties;
  private final Clock clock;

  ComplianceHistoryController(ComplianceHistoryStore history, ComplianceHistoryProperties properties, Clock clock) {
    this.history = history;
    this.properties = properties;
    this.clock = clock;
  }

  /**
   * Compliance over time from the daily snapshots: one point per day and baseline, for all its hosts
   * or, with {@code groupBy=os} or {@code groupBy=tag:<key>}, per OS family or tag value; by day,
   * then baseline, then group. Without a range, the last 30 days up to today (UTC); at most 400 days.
   */
  @GetMapping("/api/v1/compliance/history")
  @Operation(operationId = "getComplianceHistory", summary = "Compliance per day and baseline from the daily snapshots")
  List<ComplianceHistoryPoint> series(
      @Parameter(description = "first day (UTC)", schema = @Schema(format = "date"))
      @RequestParam(required = false) String from,
      @Parameter(description = "last day (UTC)", schema = @Schema(format = "date"))
      @RequestParam(required = false) String to,
      @Parameter(description = "os, or tag:<key>") @RequestParam(required = false) String groupBy,
      @RequestParam(required = false) Long baselineId) {
    return history.series(day("from", from), day("to", to), baselineId, groupBy);
  }

  /** Takes today's (UTC) snapshot now, replacing one taken earlier today; the daily one replaces it in turn. */
  @PostMapping("/api/v1/compliance/history/snapshots")
  @ResponseStatus(HttpStatus.CREATED)
  @Operation(operationId = "takeComplianceSnapshot", summary = "Take today's snapshot now")
  @ApiResponse(responseCode = "201", description = "Taken; the body holds its points")
  Snapshot snapshot() {
    Instant now = clock.instant();
    LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
    return new Snapshot(today, now, history.snapshot(today, now, properties.tagKeys()));
  }

  /** A snapshot taken: its points for all hosts, then per OS family, then per configured tag key. */
  record Snapshot(LocalDate day, Instant takenAt, List<ComplianceHistoryPoint> points) {}

  private static LocalDate day(String field, String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      return LocalDate.parse(value.strip());
    } catch (DateTimeParseException e) {
      throw new InvalidInputException(field, "must be a date YYYY-MM-DD");
    }
  }
}
