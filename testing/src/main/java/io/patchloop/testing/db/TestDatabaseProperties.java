package io.patchloop.testing.db;

import org.springframework.test.context.DynamicPropertyRegistry;

/** A Spring test's datasource on a fresh database of its own (see {@link TestDatabase}), with a fixed master key. */
public final class TestDatabaseProperties {

  private TestDatabaseProperties() {}

  public static void register(DynamicPropertyRegistry registry, String label) {
    var db = TestDatabase.create(label);
    registry.add("spring.datasource.url", db::url);
    registry.add("spring.datasource.username", db::username);
    registry.add("spring.datasource.password", db::password);
    // 32 zero bytes: a fixed key is fine for tests, it only has to open what it sealed
    registry.add("patchloop.secrets.master-key", () -> "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=");
  }
}
