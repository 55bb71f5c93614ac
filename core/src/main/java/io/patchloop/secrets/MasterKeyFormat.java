package io.patchloop.secrets;

import java.util.Base64;

/**
 * What a master key for secrets at rest must look like: 32 bytes, written in base64. One rule for
 * {@link SecretsConfiguration}, which reads the key, and the production start check, which names a
 * bad key before anything else starts.
 */
public final class MasterKeyFormat {

  public static final int KEY_BYTES = 32;

  private MasterKeyFormat() {}

  /**
   * The key's bytes.
   *
   * @throws IllegalArgumentException with the reason, worded to follow "the master key ...": "is not
   *     valid base64" or "is 16 bytes; it must be 32 bytes in base64"
   */
  public static byte[] decode(String encoded) {
    byte[] key;
    try {
      key = Base64.getDecoder().decode(encoded.strip());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("is not valid base64", e);
    }
    if (key.length != KEY_BYTES) {
      throw new IllegalArgumentException(
          "is " + key.length + " bytes; it must be " + KEY_BYTES + " bytes in base64 (openssl rand -base64 32)");
    }
    return key;
  }
}
