package io.patchloop.windows;

import io.patchloop.workflows.plan.Cron;
import io.patchloop.workflows.window.MaintenanceWindow;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * Maintenance windows (README, "Maintenance windows"): admins write them, everyone reads them with
 * whether each is open now and its next openings, so a person can check a cron before a ticket
 * waits on it.
 */
@RestController
@RequestMapping("/api/v1/maintenance-windows")
@Tag(name = "Maintenance windows", description = "When repairs may start on which hosts")
class MaintenanceWindowController {

  /** Openings shown with each window. */
  static final int NEXT_OPENINGS = 3;

  private final MaintenanceWindowStore windows;
  private final Clock clock;

  MaintenanceWindowController(MaintenanceWindowStore windows, Clock clock) {
    this.windows = windows;
    this.clock = clock;
  }

  /**
   * A window with what it means now.
   *
   * @param changesAt when it closes if {@code open}, when it next opens if not
   */
  record WindowView(StoredWindow window, boolean open, Instant changesAt, List<Instant> nextOpenings) {}

  @GetMapping
  @Operation(operationId = "listMaintenanceWindows", summary = "Windows, each with whether it is open and its next openings")
  List<WindowView> list() {
    return windows.list().stream().map(this::view).toList();
  }

  @GetMapping("/{id}")
  @Operation(operationId = "getMaintenanceWindow", summary = "One window, with whether it is open and its next openings")
  WindowView get(@PathVariable long id) {
    return view(windows.get(id));
  }

  @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
  @Operation(operationId = "createMaintenanceWindow", summary = "Create a window")
  @ApiResponse(responseCode = "201", description = "Created; the body is the new window",
      headers = @Header(name = "Location", description = "the new window's URL", schema = @Schema(format = "uri-reference")))
  @ApiResponse(responseCode = "409", description = "A window of that name exists")
  ResponseEntity<WindowView> create(@RequestBody MaintenanceWindowSpec spec) {
    StoredWindow w = windows.create(spec);
    return ResponseEntity.created(URI.create("/api/v1/maintenance-windows/" + w.id())).body(view(w));
  }

  /** Replaces the window; tickets created before keep the copy they took. */
  @PutMapping(path = "/{id}", consumes = MediaType.APPLICATION_JSON_VALUE)
  @Operation(operationId = "updateMaintenanceWindow", summary = "Replace a window; tickets created before keep their copy")
  @ApiResponse(responseCode = "200", description = "Replaced; the body is the result")
  @ApiResponse(responseCode = "409", description = "Another window has that name")
  WindowView update(@PathVariable long id, @RequestBody MaintenanceWindowSpec spec) {
    return view(windows.update(id, spec));
  }

  @DeleteMapping("/{id}")
  @ResponseStatus(HttpStatus.NO_CONTENT)
  @Operation(operationId = "deleteMaintenanceWindow", summary = "Delete a window")
  @ApiResponse(responseCode = "204", description = "Deleted")
  void delete(@PathVariable long id) {
    windows.delete(id);
  }

  private WindowView view(StoredWindow w) {
    long now = clock.millis();
    MaintenanceWindow window = w.toWindow();
    MaintenanceWindow.State state = window.at(now);
    ZoneId zone = ZoneId.of(w.timeZone());
    Cron cron = Cron.parse(w.cron());
    List<Instant> next = new ArrayList<>();
    ZonedDateTime t = Instant.ofEpochMilli(now).atZone(zone);
    for (int i = 0; i < NEXT_OPENINGS; i++) {
      t = cron.next(t, zone);
      next.add(t.toInstant());
    }
    return new WindowView(w, state.open(), Instant.ofEpochMilli(state.changesAtMillis()), next);
  }
}
