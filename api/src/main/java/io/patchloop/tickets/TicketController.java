package io.patchloop.tickets;

import io.patchloop.api.security.Role;
import io.patchloop.common.InvalidInputException;
import io.patchloop.common.PageRequest;
import io.patchloop.common.PageResult;
import io.patchloop.workflows.ticket.TicketStatus;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.security.Principal;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/tickets")
@Tag(name = "Tickets", description = "Scan and repair tickets: each a durable workflow over a set of hosts")
class TicketController {

  /** The body of the README's first scan, shown with createTicket and previewTicket. */
  static final String SCAN_EXAMPLE = """
      {"operation": "SCAN", "selector": {"tags": {"zone": "az1"}},
       "batch": {"strategy": "FIXED", "size": 10}, "externalRef": "CHG0031337"}""";
  static final String REPAIR_EXAMPLE = """
      {"operation": "REPAIR", "hostIds": [1, 2, 3, 4], "baselineId": 1,
       "batch": {"strategy": "AUTO", "tagKey": "zone", "percent": 25}, "rebootOption": "REBOOT_IF_NEEDED",
       "suspension": {"maxFailurePercent": 20}}""";

  static final String IDEMPOTENT_REPLAYED = "Idempotent-Replayed";

  private final TicketService service;
  private final IdempotentTickets idempotent;
  private final TicketPreviewer previewer;
  private final TicketStore tickets;
  private final TicketCallbacks callbacks;
  private final TicketLiveView liveView;
  private final TicketBatchHooks batchHooks;

  TicketController(TicketService service, IdempotentTickets idempotent, TicketPreviewer previewer, TicketStore tickets,
      TicketCallbacks callbacks, TicketLiveView liveView, TicketBatchHooks batchHooks) {
    this.batchHooks = batchHooks;
    this.service = service;
    this.idempotent = idempotent;
    this.previewer = previewer;
    this.tickets = tickets;
    this.callbacks = callbacks;
    this.liveView = liveView;
  }

  /** What a ticket with this body would do, batch by batch; starts nothing and changes nothing. */
  @PostMapping(path = "/preview", consumes = MediaType.APPLICATION_JSON_VALUE)
  @Operation(operationId = "previewTicket", summary = "What a ticket would do, batch by batch, without starting it")
  TicketPreview preview(@io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(examples = {
      @ExampleObject(name = "scan", value = SCAN_EXAMPLE), @ExampleObject(name = "repair", value = REPAIR_EXAMPLE)}))
      @RequestBody TicketSpec spec) {
    return previewer.preview(spec);
  }

  /**
   * Starts a ticket at once and answers with its id (also its Temporal workflow id). With an
   * {@code Idempotency-Key}, a retry with the same body answers 200 with the ticket the first call
   * made; the same key with another body is a 409. Keys are the calling token's own: another token
   * using the same key makes a ticket of its own.
   */
  @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
  @Operation(operationId = "createTicket", summary = "Start a scan or repair ticket")
  @ApiResponse(responseCode = "201", description = "Started; the body is the new ticket",
      headers = @Header(name = "Location", description = "the ticket's URL", schema = @Schema(format = "uri-reference")))
  @ApiResponse(responseCode = "200", description = "A retry with the same Idempotency-Key and body: the ticket the "
      + "first call started, nothing new started", headers = {
          @Header(name = "Location", description = "the ticket's URL", schema = @Schema(format = "uri-reference")),
          @Header(name = IDEMPOTENT_REPLAYED, description = "true: this answer repeats an earlier one",
              schema = @Schema(type = "string", allowableValues = "true"))})
  @ApiResponse(responseCode = "409", description = "The Idempotency-Key was used before with another body")
  ResponseEntity<TicketStore.TicketRow> create(
      @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(examples = {
          @ExampleObject(name = "scan", value = SCAN_EXAMPLE), @ExampleObject(name = "repair", value = REPAIR_EXAMPLE)}))
      @RequestBody TicketSpec spec,
      @Parameter(in = ParameterIn.HEADER, description = "Makes retries safe: a retry with the same key and body "
          + "answers 200 with the ticket the first call started. Keys belong to the calling token.",
          schema = @Schema(minLength = 1, maxLength = 128, pattern = "^[\\x21-\\x7e]+$"),
          example = "3f2b8c1e-6d1a-4c55-9a0e-52f1c7d0b6a4")
      @RequestHeader(name = "Idempotency-Key", required = false) String idempotencyKey, Principal caller) {
    if (idempotencyKey == null) {
      TicketStore.TicketRow row = service.create(spec);
      return ResponseEntity.created(URI.create("/api/v1/tickets/" + row.id())).body(row);
    }
    // the security rules let only a token holder this far; its name is the token's configured name
    IdempotentTickets.Outcome outcome = idempotent.create(spec, caller.getName(), idempotencyKey);
    URI location = URI.create("/api/v1/tickets/" + outcome.ticket().id());
    return outcome.replayed()
        ? ResponseEntity.ok().location(location).header(IDEMPOTENT_REPLAYED, "true").body(outcome.ticket())
        : ResponseEntity.created(location).body(outcome.ticket());
  }

  @GetMapping
  @Operation(operationId = "listTickets", summary = "Tickets, newest first, by status, operation, creation time "
      + "or external reference")
  PageResult<TicketStore.TicketRow> list(
      @RequestParam(required = false) TicketStatus status,
      @RequestParam(required = false) io.patchloop.workflows.ticket.Operation operation,
      @Parameter(description = "created at or after", schema = @Schema(format = "date-time"))
      @RequestParam(required = false) String createdFrom,
      @Parameter(description = "created before", schema = @Schema(format = "date-time"))
      @RequestParam(required = false) String createdTo,
      @RequestParam(required = false) String externalRef,
      @RequestParam(required = false) Integer page,
      @RequestParam(required = false) Integer size) {
    if (externalRef != null && !TicketSpec.EXTERNAL_REF.matcher(externalRef).matches()) {
      throw new InvalidInputException("externalRef", "is not a reference a ticket can have");
    }
    return tickets.list(new TicketStore.TicketQuery(status, operation, instant("createdFrom", createdFrom),
        instant("createdTo", createdTo), externalRef), PageRequest.of(page, size));
  }

  /**
   * The ticket, each host's outcome, and while it runs the live progress from the workflow. What the
   * callback's receiver answered ({@code callback.lastErrorDetail}) only an admin sees.
   */
  @GetMapping("/{id}")
  @Operation(operationId = "getTicket", summary = "A ticket with each host's outcome and, while it runs, its progress")
  TicketDetails get(@PathVariable String id, Authentication caller) {
    TicketCallbacks.CallbackStatus callback = callbacks.status(id)
        .map(c -> Role.ADMIN.heldBy(caller) ? c : c.withoutDetail()).orElse(null);
    return new TicketDetails(tickets.get(id), tickets.hosts(id), liveView.live(id), callback,
        batchHooks.status(id).orElse(null));
  }

  /** @param batchHook the ticket's HTTP hook around each batch (never its secret): calls made, the last error */
  record TicketDetails(TicketStore.TicketRow ticket, List<TicketStore.TicketHostRow> hosts, TicketLiveView.Live live,
      TicketCallbacks.CallbackStatus callback, TicketBatchHooks.BatchHookStatus batchHook) {}

  /** No new host starts until the ticket is resumed; running hosts finish. */
  @PostMapping("/{id}/pause")
  @Operation(operationId = "pauseTicket", summary = "Pause a ticket: no new host starts until it is resumed")
  @ApiResponse(responseCode = "202", description = "Asked; the ticket pauses when its workflow takes the signal")
  @ApiResponse(responseCode = "409", description = "The ticket has already ended")
  ResponseEntity<Signalled> pause(@PathVariable String id) {
    liveView.pause(id);
    return signalled(id, "pause");
  }

  @PostMapping("/{id}/resume")
  @Operation(operationId = "resumeTicket", summary = "Resume a paused or suspended ticket")
  @ApiResponse(responseCode = "202", description = "Asked; the ticket goes on when its workflow takes the signal")
  @ApiResponse(responseCode = "409", description = "The ticket has already ended")
  ResponseEntity<Signalled> resume(@PathVariable String id) {
    liveView.resume(id);
    return signalled(id, "resume");
  }

  /** No new host starts; running hosts finish; the rest are recorded as not run. */
  @PostMapping("/{id}/cancel")
  @Operation(operationId = "cancelTicket", summary = "Cancel a ticket: running hosts finish, the rest are not run")
  @ApiResponse(responseCode = "202", description = "Asked; the ticket ends when its workflow takes the signal")
  @ApiResponse(responseCode = "409", description = "The ticket has already ended")
  ResponseEntity<Signalled> cancel(@PathVariable String id) {
    liveView.cancel(id);
    return signalled(id, "cancel");
  }

  private static ResponseEntity<Signalled> signalled(String id, String signal) {
    return ResponseEntity.accepted().body(new Signalled(id, signal));
  }

  /** @param signal what the ticket's workflow was sent: pause, resume or cancel */
  record Signalled(String id, String signal) {}

  private static Instant instant(String field, String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      return Instant.parse(value);
    } catch (DateTimeParseException e) {
      throw new InvalidInputException(field, "must be an ISO-8601 instant such as 2026-11-27T00:00:00Z");
    }
  }
}
