package io.patchloop.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class SecretCipherTest {

  private final byte[] key = new byte[32];
  private final SecretCipher cipher = new SecretCipher(key);

  @Test
  void roundTripsAndNeverStoresThePlaintext() {
    byte[] sealed = cipher.encrypt("-----BEGIN OPENSSH PRIVATE KEY-----", "p");
    assertThat(new String(sealed, StandardCharsets.ISO_8859_1)).doesNotContain("OPENSSH");
    assertThat(cipher.decrypt(sealed, "p")).isEqualTo("-----BEGIN OPENSSH PRIVATE KEY-----");
    assertThat(cipher.encrypt("same", "p")).as("a fresh nonce each time").isNotEqualTo(cipher.encrypt("same", "p"));
  }

  @Test
  void refusesAnotherKeyAnotherPurposeOrATamperedBlob() {
    byte[] sealed = cipher.encrypt("secret", "credential");
    byte[] otherKey = new byte[32];
    otherKey[0] = 1;
    assertThatThrownBy(() -> new SecretCipher(otherKey).decrypt(sealed, "credential"))
        .isInstanceOf(SecretCipher.SecretUnreadableException.class)
        .hasMessageContaining("master key");
    assertThatThrownBy(() -> cipher.decrypt(sealed, "passphrase"))
        .isInstanceOf(SecretCipher.SecretUnreadableException.class);
    byte[] tampered = Arrays.copyOf(sealed, sealed.length);
    tampered[tampered.length - 1] ^= 1;
    assertThatThrownBy(() -> cipher.decrypt(tampered, "credential"))
        .isInstanceOf(SecretCipher.SecretUnreadableException.class);
  }

  @Test
  void wantsA256BitKey() {
    assertThatThrownBy(() -> new SecretCipher(new byte[16])).hasMessageContaining("32 bytes");
  }
}
