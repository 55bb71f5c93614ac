package io.patchloop.credentials;

import java.net.URI;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Stored SSH keys: written once, used by hosts, never read back. */
@RestController
@RequestMapping("/api/v1/credentials")
class CredentialController {

  private final CredentialStore credentials;

  CredentialController(CredentialStore credentials) {
    this.credentials = credentials;
  }

  @GetMapping
  List<Credential> list() {
    return credentials.list();
  }

  @GetMapping("/{id}")
  Credential get(@PathVariable long id) {
    return credentials.get(id);
  }

  @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
  ResponseEntity<Credential> create(@RequestBody CredentialSpec spec) {
    Credential c = credentials.create(spec);
    return ResponseEntity.created(URI.create("/api/v1/credentials/" + c.id())).body(c);
  }

  @DeleteMapping("/{id}")
  @ResponseStatus(HttpStatus.NO_CONTENT)
  void delete(@PathVariable long id) {
    credentials.delete(id);
  }
}
