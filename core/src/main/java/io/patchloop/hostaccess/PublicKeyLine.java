package io.patchloop.hostaccess;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Set;

/**
 * A host key as an operator pastes it: an OpenSSH public-key line such as the contents of
 * {@code /etc/ssh/ssh_host_ed25519_key.pub} ({@code type base64 [comment]}).
 */
public record PublicKeyLine(String keyType, String blobBase64, String fingerprint) {

  static final Set<String> TYPES = Set.of("ssh-ed25519", "ssh-rsa", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384",
      "ecdsa-sha2-nistp521");

  /** @throws IllegalArgumentException with a reason a person can act on */
  public static PublicKeyLine parse(String line) {
    if (line == null || line.isBlank() || line.length() > 16_384) {
      throw new IllegalArgumentException("must be one OpenSSH public-key line: type, base64 key, optional comment");
    }
    String[] parts = line.strip().split("\\s+");
    if (parts.length < 2 || !TYPES.contains(parts[0])) {
      throw new IllegalArgumentException("must start with a host-key type, one of " + TYPES);
    }
    byte[] blob;
    try {
      blob = Base64.getDecoder().decode(parts[1]);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("the key is not valid base64");
    }
    // the blob starts with its own type name; it must agree with the one written before it
    ByteBuffer b = ByteBuffer.wrap(blob);
    if (blob.length < 4 || b.getInt() != parts[0].length() || blob.length < 4 + parts[0].length()
        || !new String(blob, 4, parts[0].length(), StandardCharsets.US_ASCII).equals(parts[0])) {
      throw new IllegalArgumentException("the key data is not a " + parts[0] + " key");
    }
    return new PublicKeyLine(parts[0], parts[1], fingerprint(blob));
  }

  /** SHA256:base64 of the key blob, as {@code ssh-keygen -l} prints it. */
  static String fingerprint(byte[] blob) {
    try {
      return "SHA256:" + Base64.getEncoder().withoutPadding()
          .encodeToString(MessageDigest.getInstance("SHA-256").digest(blob));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
