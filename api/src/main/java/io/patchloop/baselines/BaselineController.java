package io.patchloop.baselines;

import io.patchloop.common.OsFamily;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
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
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/baselines")
@Tag(name = "Baselines", description = "Which patches a host must have, and how soon after their release")
class BaselineController {

  /** The README's baseline: Critical/Important security patches 3 days after release, bug fixes after 14. */
  static final String EXAMPLE = """
      {"name": "hce-prod", "os": "HCE", "scenario": "ECS", "defaultForOs": true,
       "rules": [
         {"products": ["HCE 2.0"], "categories": ["SECURITY"], "severities": ["CRITICAL", "IMPORTANT"],
          "approveAfterDays": 3, "complianceLevel": "CRITICAL"},
         {"products": ["ALL"], "categories": ["BUGFIX"], "severities": ["ALL"],
          "approveAfterDays": 14, "complianceLevel": "MEDIUM"}],
       "approvedPatches": ["HCE2-SA-2025-0042"], "approvedPatchesComplianceLevel": "HIGH",
       "rejectedPatches": ["telnet*"], "rejectedPatchesAction": "BLOCK"}""";

  private final BaselineStore baselines;

  BaselineController(BaselineStore baselines) {
    this.baselines = baselines;
  }

  @GetMapping
  @Operation(operationId = "listBaselines", summary = "Baselines, the built-in defaults among them")
  List<Baseline> list(@RequestParam(required = false) OsFamily os) {
    return baselines.list(os);
  }

  @GetMapping("/{id}")
  @Operation(operationId = "getBaseline", summary = "One baseline")
  Baseline get(@PathVariable long id) {
    return baselines.get(id);
  }

  @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
  @Operation(operationId = "createBaseline", summary = "Create a baseline")
  @ApiResponse(responseCode = "201", description = "Created; the body is the new baseline",
      headers = @Header(name = "Location", description = "the new baseline's URL", schema = @Schema(format = "uri-reference")))
  @ApiResponse(responseCode = "409", description = "A baseline of that name exists, or another request changed the OS default just now")
  ResponseEntity<Baseline> create(@io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(
      examples = @ExampleObject(name = "hce-prod", value = EXAMPLE))) @RequestBody BaselineSpec spec) {
    Baseline b = baselines.create(spec);
    return ResponseEntity.created(URI.create("/api/v1/baselines/" + b.id())).body(b);
  }

  @PutMapping(path = "/{id}", consumes = MediaType.APPLICATION_JSON_VALUE)
  @Operation(operationId = "updateBaseline", summary = "Replace a baseline's rules")
  @ApiResponse(responseCode = "200", description = "Replaced; the body is the result")
  @ApiResponse(responseCode = "409", description = "The name is taken, or the change would leave its OS without a default")
  Baseline update(@PathVariable long id, @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(
      examples = @ExampleObject(name = "hce-prod", value = EXAMPLE))) @RequestBody BaselineSpec spec) {
    return baselines.update(id, spec);
  }

  @DeleteMapping("/{id}")
  @ResponseStatus(HttpStatus.NO_CONTENT)
  @Operation(operationId = "deleteBaseline", summary = "Delete a baseline that is no OS's default")
  @ApiResponse(responseCode = "204", description = "Deleted")
  @ApiResponse(responseCode = "409", description = "It is the default of its OS")
  void delete(@PathVariable long id) {
    baselines.delete(id);
  }
}
