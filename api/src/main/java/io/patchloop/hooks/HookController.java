package io.patchloop.hooks;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.security.Principal;
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
 * Hook scripts that repair tickets run on each host before and after its install (README, "Hooks
 * around each host"). Admins write them, every write a new version; operators, who name them on
 * tickets, read them.
 */
@RestController
@RequestMapping("/api/v1/hooks")
@Tag(name = "Hooks", description = "Scripts a repair runs on each host before and after its install")
class HookController {

  private final HookStore hooks;

  HookController(HookStore hooks) {
    this.hooks = hooks;
  }

  /** The newest version of each hook. */
  @GetMapping
  @Operation(operationId = "listHooks", summary = "The newest version of each hook")
  List<HookScript> list() {
    return hooks.list();
  }

  @GetMapping("/{name}")
  @Operation(operationId = "getHook", summary = "A hook's newest version")
  HookScript get(@PathVariable String name) {
    return hooks.newest(name);
  }

  @GetMapping("/{name}/versions/{version}")
  @Operation(operationId = "getHookVersion", summary = "One version of a hook")
  HookScript version(@PathVariable String name, @PathVariable int version) {
    return hooks.version(name, version);
  }

  @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
  @Operation(operationId = "createHook", summary = "Store a hook, version 1")
  @ApiResponse(responseCode = "201", description = "Created; the body is the new hook",
      headers = @Header(name = "Location", description = "the new hook's URL", schema = @Schema(format = "uri-reference")))
  @ApiResponse(responseCode = "409", description = "A hook of that name exists (PUT stores a new version)")
  ResponseEntity<HookScript> create(@RequestBody HookScriptSpec spec, Principal caller) {
    HookScript created = hooks.create(spec, caller == null ? null : caller.getName());
    return ResponseEntity.created(URI.create("/api/v1/hooks/" + created.name())).body(created);
  }

  /** Stores the next version; tickets created before keep the version they copied. */
  @PutMapping(path = "/{name}", consumes = MediaType.APPLICATION_JSON_VALUE)
  @Operation(operationId = "updateHook", summary = "Store the next version of a hook")
  @ApiResponse(responseCode = "200", description = "Replaced; the body is the result")
  @ApiResponse(responseCode = "409", description = "Another request stored a version just now")
  HookScript update(@PathVariable String name, @RequestBody HookScriptSpec spec, Principal caller) {
    return hooks.newVersion(name, spec, caller == null ? null : caller.getName());
  }

  @DeleteMapping("/{name}")
  @ResponseStatus(HttpStatus.NO_CONTENT)
  @Operation(operationId = "deleteHook", summary = "Delete a hook, every version")
  @ApiResponse(responseCode = "204", description = "Deleted")
  void delete(@PathVariable String name) {
    hooks.delete(name);
  }
}
