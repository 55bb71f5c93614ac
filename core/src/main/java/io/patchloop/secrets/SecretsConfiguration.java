package io.patchloop.secrets;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Where the master key comes from: inline (an environment variable in production) or a file. */
@Configuration(proxyBeanMethods = false)
public class SecretsConfiguration {

  @ConfigurationProperties("patchloop.secrets")
  public record SecretsProperties(String masterKey, Path masterKeyFile) {}

  @Bean
  SecretCipher secretCipher(SecretsProperties properties) {
    return new SecretCipher(readMasterKey(properties));
  }

  static byte[] readMasterKey(SecretsProperties properties) {
    String encoded;
    String source;
    if (properties.masterKey() != null && !properties.masterKey().isBlank()) {
      encoded = properties.masterKey();
      source = "patchloop.secrets.master-key";
    } else if (properties.masterKeyFile() != null) {
      try {
        encoded = Files.readString(properties.masterKeyFile());
      } catch (IOException e) {
        throw new IllegalStateException(
            "cannot read the master key file " + properties.masterKeyFile() + ": " + e.getMessage(), e);
      }
      source = properties.masterKeyFile().toString();
    } else {
      throw new IllegalStateException(
          "No master key for secrets at rest: set PATCHLOOP_SECRETS_MASTER_KEY to 32 random bytes in"
              + " base64 (for example `openssl rand -base64 32`), or patchloop.secrets.master-key-file");
    }
    try {
      return MasterKeyFormat.decode(encoded);
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException("the master key from " + source + " " + e.getMessage(), e);
    }
  }
}
