package io.patchloop.hooks;

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
class HookController {

  private final HookStore hooks;

  HookController(HookStore hooks) {
    this.hooks = hooks;
  }

  /** The newest version of each hook. */
  @GetMapping
  List<HookScript> list() {
    return hooks.list();
  }

  @GetMapping("/{name}")
  HookScript get(@PathVariable String name) {
    return hooks.newest(name);
  }

  @GetMapping("/{name}/versions/{version}")
  HookScript version(@PathVariable String name, @PathVariable int version) {
    return hooks.version(name, version);
  }

  @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
  ResponseEntity<HookScript> create(@RequestBody HookScriptSpec spec, Principal caller) {
    HookScript created = hooks.create(spec, caller == null ? null : caller.getName());
    return ResponseEntity.created(URI.create("/api/v1/hooks/" + created.name())).body(created);
  }

  /** Stores the next version; tickets created before keep the version they copied. */
  @PutMapping(path = "/{name}", consumes = MediaType.APPLICATION_JSON_VALUE)
  HookScript update(@PathVariable String name, @RequestBody HookScriptSpec spec, Principal caller) {
    return hooks.newVersion(name, spec, caller == null ? null : caller.getName());
  }

  @DeleteMapping("/{name}")
  @ResponseStatus(HttpStatus.NO_CONTENT)
  void delete(@PathVariable String name) {
    hooks.delete(name);
  }
}
