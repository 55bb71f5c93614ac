package io.patchloop.hosts;

import io.patchloop.common.InvalidInputException;
import io.patchloop.common.NotFoundException;
import io.patchloop.hostaccess.KnownHostKeyStore;
import io.patchloop.hostaccess.PublicKeyLine;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * The SSH host key Patchloop expects from a host: register it ahead of time (STRICT policy),
 * replace it after a host was rebuilt on purpose, or forget it so the next scan records the key
 * it meets (TRUST_ON_FIRST_USE).
 */
@RestController
@RequestMapping("/api/v1/hosts/{id}/host-key")
@Tag(name = "Hosts")
class HostKeyController {

  private final HostStore hosts;
  private final KnownHostKeyStore knownHosts;

  HostKeyController(HostStore hosts, KnownHostKeyStore knownHosts) {
    this.hosts = hosts;
    this.knownHosts = knownHosts;
  }

  record HostKey(String keyType, String fingerprint, String publicKey) {}

  record HostKeySpec(String publicKey) {}

  /** An OpenSSH public-key line: a 16384-bit RSA key and a long comment fit several times over. */
  static final int MAX_PUBLIC_KEY_LENGTH = 16 * 1024;

  @GetMapping
  @Operation(operationId = "getHostKey", summary = "The SSH host key Patchloop expects from a host")
  HostKey get(@PathVariable long id) {
    Host host = hosts.get(id);
    return knownHosts.find(host.address(), host.port())
        .map(k -> new HostKey(k.keyType(), k.fingerprint(), k.keyType() + " " + k.publicKey()))
        .orElseThrow(() -> new NotFoundException("recorded host key of host", id));
  }

  @PutMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
  @Operation(operationId = "replaceHostKey", summary = "Register or replace the host key to expect (STRICT policy, a rebuilt host)")
  HostKey put(@PathVariable long id, @RequestBody HostKeySpec spec) {
    Host host = hosts.get(id);
    if (spec.publicKey() != null && spec.publicKey().length() > MAX_PUBLIC_KEY_LENGTH) {
      throw new InvalidInputException("publicKey", "must be at most " + MAX_PUBLIC_KEY_LENGTH + " characters");
    }
    PublicKeyLine key;
    try {
      key = PublicKeyLine.parse(spec.publicKey());
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException("publicKey", e.getMessage());
    }
    knownHosts.replace(host.address(), host.port(),
        new KnownHostKeyStore.KnownKey(key.keyType(), key.fingerprint(), key.blobBase64()));
    return get(id);
  }

  @DeleteMapping
  @ResponseStatus(HttpStatus.NO_CONTENT)
  @Operation(operationId = "forgetHostKey", summary = "Forget the host key, so the next scan records the one it meets")
  @ApiResponse(responseCode = "204", description = "Forgotten")
  void forget(@PathVariable long id) {
    Host host = hosts.get(id);
    knownHosts.forget(host.address(), host.port());
  }
}
