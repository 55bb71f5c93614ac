package io.patchloop.plans;

import io.patchloop.common.InvalidInputException;
import java.net.URI;
import java.util.List;
import java.util.Map;
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
  List<PlanService.PlanView> list() {
    return plans.list();
  }

  @GetMapping("/{id}")
  PlanService.PlanView get(@PathVariable long id) {
    return plans.get(id);
  }

  @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
  ResponseEntity<PlanService.PlanView> create(@RequestBody PlanSpec spec) {
    PlanService.PlanView created = plans.create(spec);
    return ResponseEntity.created(URI.create("/api/v1/inspection-plans/" + created.plan().id())).body(created);
  }

  @PutMapping(path = "/{id}", consumes = MediaType.APPLICATION_JSON_VALUE)
  PlanService.PlanView update(@PathVariable long id, @RequestBody PlanSpec spec) {
    return plans.update(id, spec);
  }

  @PostMapping("/{id}/pause")
  PlanService.PlanView pause(@PathVariable long id) {
    return plans.setPaused(id, true);
  }

  @PostMapping("/{id}/resume")
  PlanService.PlanView resume(@PathVariable long id) {
    return plans.setPaused(id, false);
  }

  /** Runs the plan once now (its overlap policy still applies). */
  @PostMapping("/{id}/trigger")
  ResponseEntity<Map<String, Object>> trigger(@PathVariable long id) {
    plans.trigger(id);
    return ResponseEntity.accepted().body(Map.of("id", id, "signal", "trigger"));
  }

  @DeleteMapping("/{id}")
  @ResponseStatus(HttpStatus.NO_CONTENT)
  void delete(@PathVariable long id) {
    plans.delete(id);
  }

  /** The plan's runs, newest first: the ticket each started, or why none was. */
  @GetMapping("/{id}/runs")
  List<InspectionPlan.Run> runs(@PathVariable long id, @RequestParam(required = false) Integer limit) {
    int n = limit == null ? 50 : limit;
    if (n < 1 || n > 500) {
      throw new InvalidInputException("limit", "must be between 1 and 500");
    }
    return plans.runs(id, n);
  }
}
