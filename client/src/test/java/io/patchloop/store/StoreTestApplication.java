package io.patchloop.store;

import io.patchloop.PatchloopApplication;
import io.patchloop.testing.db.TestDatabaseProperties;
import org.springframework.test.context.DynamicPropertyRegistry;

/** The client module's beans (and those it depends on) on a fresh database of the real test server; no web, no Temporal. */
@PatchloopApplication
public class StoreTestApplication {

  /** Points a test class at a database of its own. */
  public static void database(DynamicPropertyRegistry registry, String label) {
    TestDatabaseProperties.register(registry, label);
  }
}
