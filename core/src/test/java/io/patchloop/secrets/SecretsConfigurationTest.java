package io.patchloop.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.patchloop.secrets.SecretsConfiguration.SecretsProperties;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** Reading the master key, whose format rule it shares with the production start check (MasterKeyFormat). */
class SecretsConfigurationTest {

  @Test
  void aKeyOf32BytesInBase64IsRead() {
    byte[] key = new byte[32];
    key[0] = 7;
    assertThat(SecretsConfiguration.readMasterKey(
        new SecretsProperties(" " + Base64.getEncoder().encodeToString(key) + "\n", null))).isEqualTo(key);
  }

  @Test
  void aWrongLengthOrNotBase64IsRefusedNamingWhereTheKeyCameFrom() {
    assertThatThrownBy(() -> SecretsConfiguration.readMasterKey(
        new SecretsProperties(Base64.getEncoder().encodeToString(new byte[16]), null)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("the master key from patchloop.secrets.master-key is 16 bytes; it must be 32 bytes in base64"
            + " (openssl rand -base64 32)");
    assertThatThrownBy(() -> SecretsConfiguration.readMasterKey(new SecretsProperties("not base64!", null)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("the master key from patchloop.secrets.master-key is not valid base64");
  }
}
