package io.patchloop.api.audit;

import io.patchloop.common.FieldProblem;
import io.patchloop.common.InvalidInputException;
import io.patchloop.common.PageRequest;
import io.patchloop.common.PageResult;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The audit log, newest first; admins only (SecurityConfiguration). */
@RestController
@RequestMapping("/api/v1/audit-events")
@Tag(name = "Audit", description = "Who changed what, through the API or the console")
class AuditController {

  private final AuditEventStore store;

  AuditController(AuditEventStore store) {
    this.store = store;
  }

  /**
   * @param from events at or after this instant
   * @param to events before this instant
   */
  @GetMapping
  @Operation(operationId = "listAuditEvents", summary = "Audit events, newest first, by actor, resource, time and outcome")
  PageResult<AuditEventStore.AuditEvent> list(
      @RequestParam(required = false) String actor,
      @RequestParam(required = false) String resource,
      @Parameter(description = "events at or after", schema = @Schema(format = "date-time"))
      @RequestParam(required = false) String from,
      @Parameter(description = "events before", schema = @Schema(format = "date-time"))
      @RequestParam(required = false) String to,
      @RequestParam(required = false) AuditOutcome outcome,
      @RequestParam(required = false) Integer page,
      @RequestParam(required = false) Integer size) {
    List<FieldProblem> problems = new ArrayList<>();
    Instant fromAt = instant("from", from, problems);
    Instant toAt = instant("to", to, problems);
    if (fromAt != null && toAt != null && !fromAt.isBefore(toAt)) {
      problems.add(new FieldProblem("to", "must be after from"));
    }
    if (actor != null && (actor.isBlank() || actor.length() > 255)) {
      problems.add(new FieldProblem("actor", "must be 1-255 characters"));
    }
    if (resource != null && !resource.matches("[a-z0-9/()-]{1,64}")) {
      problems.add(new FieldProblem("resource", "must be a resource name such as tickets or notification-channels"));
    }
    if (!problems.isEmpty()) {
      throw new InvalidInputException("Invalid audit filter", List.copyOf(problems));
    }
    return store.list(new AuditEventStore.Query(actor, resource, fromAt, toAt, outcome), PageRequest.of(page, size));
  }

  private static Instant instant(String field, String value, List<FieldProblem> problems) {
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      return Instant.parse(value);
    } catch (DateTimeParseException e) {
      problems.add(new FieldProblem(field, "must be an ISO-8601 instant such as 2026-11-27T00:00:00Z"));
      return null;
    }
  }
}
