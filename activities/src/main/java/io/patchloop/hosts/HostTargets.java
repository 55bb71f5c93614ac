package io.patchloop.hosts;

import io.patchloop.credentials.CredentialStore;
import io.patchloop.hostaccess.HostTarget;
import java.nio.file.Path;
import org.springframework.stereotype.Component;

/** Turns a registered host into where and how to log in, decrypting a stored key only for that connection. */
@Component
public class HostTargets {

  private final HostStore hosts;
  private final CredentialStore credentials;

  public HostTargets(HostStore hosts, CredentialStore credentials) {
    this.hosts = hosts;
    this.credentials = credentials;
  }

  public HostTarget of(Host host) {
    if (host.keyPath() != null) {
      return new HostTarget(host.address(), host.port(), host.username(), Path.of(host.keyPath()), null, null);
    }
    var key = credentials.privateKey(hosts.credentialId(host.id()));
    return new HostTarget(host.address(), host.port(), host.username(), null, key.privateKey(), key.passphrase());
  }
}
