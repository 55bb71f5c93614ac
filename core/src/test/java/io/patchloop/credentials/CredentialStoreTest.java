package io.patchloop.credentials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.patchloop.common.ConflictException;
import io.patchloop.common.InvalidInputException;
import io.patchloop.common.OsFamily;
import io.patchloop.hosts.HostSpec;
import io.patchloop.hosts.HostStore;
import io.patchloop.store.StoreTestApplication;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

@SpringBootTest(classes = StoreTestApplication.class)
class CredentialStoreTest {

  static final String KEY = """
      -----BEGIN OPENSSH PRIVATE KEY-----
      b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW
      -----END OPENSSH PRIVATE KEY-----
      """;

  @DynamicPropertySource
  static void database(DynamicPropertyRegistry registry) {
    StoreTestApplication.database(registry, "credentialstore");
  }

  @Autowired CredentialStore credentials;
  @Autowired HostStore hosts;
  @Autowired JdbcClient jdbc;

  @Test
  void storesTheKeyEncryptedAndGivesItOnlyToHostAccess() {
    Credential c = credentials.create(new CredentialSpec("fleet", "lab fleet key", KEY, "s3cret passphrase"));
    assertThat(c.keyType()).isEqualTo("OPENSSH");
    byte[] stored = jdbc.sql("SELECT key_ciphertext FROM credentials WHERE id = ?").param(c.id())
        .query(byte[].class).single();
    assertThat(new String(stored, StandardCharsets.ISO_8859_1)).doesNotContain("OPENSSH").doesNotContain("b3Bl");
    byte[] passphrase = jdbc.sql("SELECT passphrase_ciphertext FROM credentials WHERE id = ?").param(c.id())
        .query(byte[].class).single();
    assertThat(new String(passphrase, StandardCharsets.ISO_8859_1)).doesNotContain("s3cret");
    var decrypted = credentials.privateKey(c.id());
    assertThat(decrypted.privateKey()).isEqualTo(KEY);
    assertThat(decrypted.passphrase()).isEqualTo("s3cret passphrase");
    assertThat(decrypted.toString()).doesNotContain("OPENSSH");
  }

  @Test
  void refusesWhatIsNotAPrivateKeyAndDuplicateNames() {
    assertThatThrownBy(() -> credentials.create(new CredentialSpec("pub", null, "ssh-ed25519 AAAAC3Nza root@x", null)))
        .isInstanceOf(InvalidInputException.class);
    credentials.create(new CredentialSpec("dup", null, KEY, null));
    assertThatThrownBy(() -> credentials.create(new CredentialSpec("dup", null, KEY, null)))
        .isInstanceOf(ConflictException.class);
  }

  @Test
  void refusesToDeleteAKeyThatHostsUse() {
    Credential c = credentials.create(new CredentialSpec("in-use", null, KEY, null));
    var host = hosts.create(new HostSpec("uses-key", "10.0.0.1", null, null, null, "in-use", OsFamily.HCE, null, null));
    assertThatThrownBy(() -> credentials.delete(c.id())).isInstanceOf(ConflictException.class)
        .hasMessageContaining("1 host");
    hosts.delete(host.id());
    credentials.delete(c.id());
    assertThat(credentials.findByName("in-use")).isEmpty();
  }
}
