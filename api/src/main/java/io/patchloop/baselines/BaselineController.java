package io.patchloop.baselines;

import io.patchloop.common.OsFamily;
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
class BaselineController {

  private final BaselineStore baselines;

  BaselineController(BaselineStore baselines) {
    this.baselines = baselines;
  }

  @GetMapping
  List<Baseline> list(@RequestParam(required = false) OsFamily os) {
    return baselines.list(os);
  }

  @GetMapping("/{id}")
  Baseline get(@PathVariable long id) {
    return baselines.get(id);
  }

  @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
  ResponseEntity<Baseline> create(@RequestBody BaselineSpec spec) {
    Baseline b = baselines.create(spec);
    return ResponseEntity.created(URI.create("/api/v1/baselines/" + b.id())).body(b);
  }

  @PutMapping(path = "/{id}", consumes = MediaType.APPLICATION_JSON_VALUE)
  Baseline update(@PathVariable long id, @RequestBody BaselineSpec spec) {
    return baselines.update(id, spec);
  }

  @DeleteMapping("/{id}")
  @ResponseStatus(HttpStatus.NO_CONTENT)
  void delete(@PathVariable long id) {
    baselines.delete(id);
  }
}
