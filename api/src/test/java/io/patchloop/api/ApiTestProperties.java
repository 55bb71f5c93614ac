package io.patchloop.api;

import io.patchloop.testing.db.TestDatabase;
import java.util.List;
import org.springframework.test.context.DynamicPropertyRegistry;

/** What an API test class starts the API with: a database of its own, the in-memory Temporal test server, tokens. */
public final class ApiTestProperties {

  public static final String ADMIN = "admin-token-0123456789abcdef";
  public static final String OPERATOR = "operator-token-0123456789abcdef";
  public static final String VIEWER = "viewer-token-0123456789abcdef";

  /** One token of each role, named ops-admin, ops-operator and ops-viewer. */
  public static final List<Token> EVERY_ROLE = List.of(new Token("ops-admin", ADMIN, "ADMIN"),
      new Token("ops-operator", OPERATOR, "OPERATOR"), new Token("ops-viewer", VIEWER, "VIEWER"));

  public record Token(String name, String token, String role) {}

  private ApiTestProperties() {}

  /** @param databaseLabel names the test database, so a left-over one says where it came from */
  public static void register(DynamicPropertyRegistry registry, String databaseLabel, List<Token> tokens) {
    register(registry, TestDatabase.create(databaseLabel), tokens);
  }

  /** On a database the caller chose (a benchmark's kept fleet): used as it is, neither emptied nor dropped. */
  public static void register(DynamicPropertyRegistry registry, TestDatabase.Database db, List<Token> tokens) {
    registry.add("spring.datasource.url", db::url);
    registry.add("spring.datasource.username", db::username);
    registry.add("spring.datasource.password", db::password);
    // a test makes few calls at once; idle connections of every cached context add up on the shared server
    registry.add("spring.datasource.hikari.minimum-idle", () -> "1");
    registry.add("spring.temporal.test-server.enabled", () -> "true");
    registry.add("patchloop.secrets.master-key", () -> "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=");
    for (int i = 0; i < tokens.size(); i++) {
      Token t = tokens.get(i);
      registry.add("patchloop.security.tokens[" + i + "].name", t::name);
      registry.add("patchloop.security.tokens[" + i + "].token", t::token);
      registry.add("patchloop.security.tokens[" + i + "].role", t::role);
    }
  }
}
