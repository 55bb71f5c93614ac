package io.patchloop.credentials;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.headers.Header;
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
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Stored SSH keys: written once, used by hosts, never read back. */
@RestController
@RequestMapping("/api/v1/credentials")
@Tag(name = "Credentials", description = "Stored SSH keys: written once, used by hosts, never read back")
class CredentialController {

  private final CredentialStore credentials;

  CredentialController(CredentialStore credentials) {
    this.credentials = credentials;
  }

  @GetMapping
  @Operation(operationId = "listCredentials", summary = "Stored keys (names and fingerprints, never the keys)")
  List<Credential> list() {
    return credentials.list();
  }

  @GetMapping("/{id}")
  @Operation(operationId = "getCredential", summary = "One stored key")
  Credential get(@PathVariable long id) {
    return credentials.get(id);
  }

  @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
  @Operation(operationId = "createCredential", summary = "Store an SSH private key, encrypted at rest")
  @ApiResponse(responseCode = "201", description = "Created; the body is the new credential",
      headers = @Header(name = "Location", description = "the new credential's URL", schema = @Schema(format = "uri-reference")))
  @ApiResponse(responseCode = "409", description = "A credential of that name exists")
  ResponseEntity<Credential> create(@RequestBody CredentialSpec spec) {
    Credential c = credentials.create(spec);
    return ResponseEntity.created(URI.create("/api/v1/credentials/" + c.id())).body(c);
  }

  @DeleteMapping("/{id}")
  @ResponseStatus(HttpStatus.NO_CONTENT)
  @Operation(operationId = "deleteCredential", summary = "Delete a stored key no host uses")
  @ApiResponse(responseCode = "204", description = "Deleted")
  @ApiResponse(responseCode = "409", description = "Hosts still use it")
  void delete(@PathVariable long id) {
    credentials.delete(id);
  }
}
