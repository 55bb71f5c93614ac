package io.patchloop.hostaccess;

import java.nio.file.Path;

/**
 * Where and as whom to log in. Exactly one of {@code keyPath} (a file on the worker) and
 * {@code privateKey} (a stored credential, decrypted only for this connection) is set.
 */
public record HostTarget(String address, int port, String username, Path keyPath, String privateKey, String passphrase) {

  @Override
  public String toString() {
    return username + "@" + address + ":" + port;
  }
}
