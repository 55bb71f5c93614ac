package io.patchloop.credentials;

import io.patchloop.common.Problems;
import java.util.regex.Pattern;

/** A new SSH private key to store encrypted. {@code passphrase} only for an encrypted key. */
public record CredentialSpec(String name, String description, String privateKey, String passphrase) {

  public static final int MAX_NAME_LENGTH = 64;
  public static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
  private static final int MAX_KEY_CHARS = 16 * 1024;

  /** The PEM armour lines of the private-key formats sshj reads; the label tells the key type. */
  private static final Pattern PEM =
      Pattern.compile(
          "\\s*-----BEGIN (OPENSSH|RSA|EC|DSA|ENCRYPTED|) ?PRIVATE KEY-----\\r?\\n"
              + "[A-Za-z0-9+/=:,\\-\\s]+"
              + "-----END \\1 ?PRIVATE KEY-----\\s*");

  public Problems validate() {
    Problems problems = new Problems();
    problems.matches("name", name, NAME, "must be 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit");
    if (description != null && description.length() > 255) {
      problems.add("description", "must be at most 255 characters");
    }
    if (problems.required("privateKey", privateKey)) {
      if (privateKey.length() > MAX_KEY_CHARS) {
        problems.add("privateKey", "must be at most " + MAX_KEY_CHARS + " characters");
      } else if (!PEM.matcher(privateKey).matches()) {
        problems.add("privateKey", "must be a PEM or OpenSSH private key (-----BEGIN ... PRIVATE KEY-----)");
      }
    }
    if (passphrase != null && passphrase.length() > 1024) {
      problems.add("passphrase", "must be at most 1024 characters");
    }
    return problems;
  }

  String keyType() {
    var m = PEM.matcher(privateKey);
    if (!m.matches()) {
      throw new IllegalStateException("validate() first");
    }
    String label = m.group(1);
    return switch (label) {
      case "OPENSSH" -> "OPENSSH";
      case "RSA" -> "RSA";
      case "EC" -> "ECDSA";
      case "DSA" -> "DSA";
      case "ENCRYPTED" -> "PKCS8_ENCRYPTED";
      default -> "PKCS8";
    };
  }
}
