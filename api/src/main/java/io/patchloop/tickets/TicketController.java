package io.patchloop.tickets;

import io.patchloop.api.security.Role;
import io.patchloop.common.InvalidInputException;
import io.patchloop.common.PageRequest;
import io.patchloop.common.PageResult;
import io.patchloop.workflows.ticket.Operation;
import io.patchloop.workflows.ticket.TicketStatus;
import java.net.URI;
import java.security.Principal;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
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
class TicketController {

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
  TicketPreview preview(@RequestBody TicketSpec spec) {
    return previewer.preview(spec);
  }

  /**
   * Starts a ticket at once and answers with its id (also its Temporal workflow id). With an
   * {@code Idempotency-Key}, a retry with the same body answers 200 with the ticket the first call
   * made; the same key with another body is a 409. Keys are the calling token's own: another token
   * using the same key makes a ticket of its own.
   */
  @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
  ResponseEntity<TicketStore.TicketRow> create(@RequestBody TicketSpec spec,
      @RequestHeader(name = "Idempotency-Key", required = false) String idempotencyKey, Principal caller) {
    if (idempotencyKey == null) {
      TicketStore.TicketRow row = service.create(spec);
      return ResponseEntity.created(URI.create("/api/v1/tickets/" + row.id())).body(row);
    }
    // the security rules let only a token holder this far; its name is the token's configured name
    IdempotentTickets.Outcome outcome = idempotent.create(spec, caller.getName(), idempotencyKey);
    URI location = URI.create("/api/v1/tickets/" + outcome.ticket().id());
    return outcome.replayed()
        ? ResponseEntity.ok().location(location).header("Idempotent-Replayed", "true").body(outcome.ticket())
        : ResponseEntity.created(location).body(outcome.ticket());
  }

  @GetMapping
  PageResult<TicketStore.TicketRow> list(
      @RequestParam(required = false) TicketStatus status,
      @RequestParam(required = false) Operation operation,
      @RequestParam(required = false) String createdFrom,
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
  ResponseEntity<Map<String, String>> pause(@PathVariable String id) {
    liveView.pause(id);
    return signalled(id, "pause");
  }

  @PostMapping("/{id}/resume")
  ResponseEntity<Map<String, String>> resume(@PathVariable String id) {
    liveView.resume(id);
    return signalled(id, "resume");
  }

  /** No new host starts; running hosts finish; the rest are recorded as not run. */
  @PostMapping("/{id}/cancel")
  ResponseEntity<Map<String, String>> cancel(@PathVariable String id) {
    liveView.cancel(id);
    return signalled(id, "cancel");
  }

  private static ResponseEntity<Map<String, String>> signalled(String id, String signal) {
    return ResponseEntity.accepted().body(Map.of("id", id, "signal", signal));
  }

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
