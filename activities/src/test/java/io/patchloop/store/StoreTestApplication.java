package io.patchloop.store;

import io.patchloop.PatchloopApplication;
import io.patchloop.testing.db.TestDatabase;
import org.springframework.test.context.DynamicPropertyRegistry;

/** The activities module's beans on a fresh database of the real test server; no web, no Temporal. */
@PatchloopApplication
public class StoreTestApplication {

  /** Points a test class at a database of its own. */
  public static void database(DynamicPropertyRegistry registry, String label) {
    var db = TestDatabase.create(label);
    registry.add("spring.datasource.url", db::url);
    registry.add("spring.datasource.username", db::username);
    registry.add("spring.datasource.password", db::password);
    // 32 zero bytes: a fixed key is fine for tests, it only has to open what it sealed
    registry.add("patchloop.secrets.master-key", () -> "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=");
  }
}
