package io.patchloop.plans;

import io.patchloop.common.InvalidInputException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.util.List;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
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
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Periodic inspections: each plan starts a SCAN ticket on its cron schedule. */
@RestController
@RequestMapping("/api/v1/inspection-plans")
@Tag(name = "Inspection plans", description = "Tickets started on a cron schedule, and repairs that follow their scans")
class InspectionPlanController {

  private final PlanService plans;

  InspectionPlanController(PlanService plans) {
    this.plans = plans;
  }

  /** Every plan gets its workflow back after a restart of an embedded Temporal server (it keeps nothing). */
  @EventListener(ApplicationReadyEvent.class)
  void ensureWorkflows() {
    plans.ensureAllRunning();
  }

  @GetMapping
  @Operation(operationId = "listInspectionPlans", summary = "Plans with their schedule state")
  List<PlanService.PlanView> list() {
    return plans.list();
  }

  @GetMapping("/{id}")
  @Operation(operationId = "getInspectionPlan", summary = "One plan with its schedule state")
  PlanService.PlanView get(@PathVariable long id) {
    return plans.get(id);
  }

  @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
  @Operation(operationId = "createInspectionPlan", summary = "Create a plan; its schedule starts at once")
  @ApiResponse(responseCode = "201", description = "Created; the body is the new plan",
      headers = @Header(name = "Location", description = "the new plan's URL", schema = @Schema(format = "uri-reference")))
  @ApiResponse(responseCode = "409", description = "A plan of that name exists")
  ResponseEntity<PlanService.PlanView> create(@RequestBody PlanSpec spec) {
    PlanService.PlanView created = plans.create(spec);
    return ResponseEntity.created(URI.create("/api/v1/inspection-plans/" + created.plan().id())).body(created);
  }

  @PutMapping(path = "/{id}", consumes = MediaType.APPLICATION_JSON_VALUE)
  @Operation(operationId = "updateInspectionPlan", summary = "Replace a plan; the schedule follows")
  @ApiResponse(responseCode = "200", description = "Replaced; the body is the result")
  @ApiResponse(responseCode = "409", description = "Another plan has that name")
  PlanService.PlanView update(@PathVariable long id, @RequestBody PlanSpec spec) {
    return plans.update(id, spec);
  }

  @PostMapping("/{id}/pause")
  @Operation(operationId = "pauseInspectionPlan", summary = "Stop starting tickets until resumed")
  PlanService.PlanView pause(@PathVariable long id) {
    return plans.setPaused(id, true);
  }

  @PostMapping("/{id}/resume")
  @Operation(operationId = "resumeInspectionPlan", summary = "Start tickets on the schedule again")
  PlanService.PlanView resume(@PathVariable long id) {
    return plans.setPaused(id, false);
  }

  /** Runs the plan once now (its overlap policy still applies). */
  @PostMapping("/{id}/trigger")
  @Operation(operationId = "triggerInspectionPlan", summary = "Run the plan once now (its overlap policy still applies)")
  @ApiResponse(responseCode = "202", description = "Asked; the plan's workflow starts the run")
  ResponseEntity<Triggered> trigger(@PathVariable long id) {
    plans.trigger(id);
    return ResponseEntity.accepted().body(new Triggered(id, "trigger"));
  }

  /** @param signal what the plan's workflow was sent */
  record Triggered(long id, String signal) {}

  @DeleteMapping("/{id}")
  @ResponseStatus(HttpStatus.NO_CONTENT)
  @Operation(operationId = "deleteInspectionPlan", summary = "Delete a plan and stop its schedule")
  @ApiResponse(responseCode = "204", description = "Deleted")
  void delete(@PathVariable long id) {
    plans.delete(id);
  }

  /** The plan's runs, newest first: the ticket each started, or why none was. */
  @GetMapping("/{id}/runs")
  @Operation(operationId = "listInspectionPlanRuns", summary = "The plan's runs, newest first: the ticket each started, or why none was")
  List<InspectionPlan.Run> runs(@PathVariable long id, @RequestParam(required = false) Integer limit) {
    int n = limit == null ? 50 : limit;
    if (n < 1 || n > 500) {
      throw new InvalidInputException("limit", "must be between 1 and 500");
    }
    return plans.runs(id, n);
  }
}
