package io.patchloop.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.patchloop.api.ApiApplication;
import io.patchloop.api.ApiTestProperties;
import io.patchloop.testing.http.ApiClient;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The console's forms in the audit log, over real HTTP against a real MariaDB: a change with the
 * signed-in person as actor and the new host's id, a form sent back with problems, refusals by role
 * and by CSRF token, signing in and out.
 */
@SpringBootTest(classes = ApiApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ConsoleAuditTest {

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    ApiTestProperties.register(registry, "consoleaudit", ApiTestProperties.EVERY_ROLE);
  }

  @LocalServerPort int port;
  @Autowired JdbcClient jdbc;

  record Row(String actor, String role, String channel, String method, String resource, String targetId,
      String action, Integer status, String outcome, String clientAddress, boolean inTransaction) {}

  @BeforeEach
  void clean() {
    jdbc.sql("DELETE FROM hosts").update();
    jdbc.sql("DELETE FROM credentials").update();
    jdbc.sql("DELETE FROM audit_events").update();
  }

  Row only(String requestId) {
    List<Row> rows = jdbc.sql("SELECT * FROM audit_events WHERE request_id = ?").param(requestId).query((rs, n) -> {
      int status = rs.getInt("status");
      return new Row(rs.getString("actor"), rs.getString("role"), rs.getString("channel"), rs.getString("method"),
          rs.getString("resource"), rs.getString("target_id"), rs.getString("action"), rs.wasNull() ? null : status,
          rs.getString("outcome"), rs.getString("client_address"), rs.getBoolean("in_transaction"));
    }).list();
    assertThat(rows).as("audit rows of " + requestId).hasSize(1);
    return rows.get(0);
  }

  static Map<String, String> hostForm(String name, String address) {
    return Map.of("name", name, "address", address, "port", "22", "username", "root", "access", "SSH",
        "keyPath", "/keys/lab", "credentialName", "", "osFamily", "HCE", "scenario", "ECS", "tags", "");
  }

  @Test
  void aHostAddedInTheConsoleIsRecordedWithThePersonWhoSignedIn() {
    ConsoleHttpClient admin = new ConsoleHttpClient(port);
    admin.headers.put("X-Request-Id", "console-sign-in");
    assertThat(admin.signIn(ApiTestProperties.ADMIN).statusCode()).isEqualTo(302);
    assertThat(only("console-sign-in")).isEqualTo(new Row("ops-admin", "ADMIN", "CONSOLE", "POST", "console-session",
        null, "sign-in", 302, "SUCCESS", "127.0.0.1", false));

    admin.headers.put("X-Request-Id", "console-add-host");
    var added = admin.postWithCsrf("/console/hosts", hostForm("web-a", "10.0.0.21"), "/console/hosts/new");
    assertThat(added.statusCode()).isEqualTo(302);
    assertThat(added.headers().firstValue("X-Request-Id")).hasValue("console-add-host");
    String id = String.valueOf(new ApiClient("http://127.0.0.1:" + port, ApiTestProperties.ADMIN)
        .get("/api/v1/hosts").json().get("items").get(0).get("id").asLong());
    assertThat(only("console-add-host")).isEqualTo(new Row("ops-admin", "ADMIN", "CONSOLE", "POST", "hosts", id,
        "create", 302, "SUCCESS", "127.0.0.1", true));

    // the form comes back with its problems (200): nothing changed
    admin.headers.put("X-Request-Id", "console-bad-host");
    assertThat(admin.postWithCsrf("/console/hosts", hostForm("web 1", "$(reboot)"), "/console/hosts/new").statusCode())
        .isEqualTo(200);
    assertThat(only("console-bad-host")).isEqualTo(new Row("ops-admin", "ADMIN", "CONSOLE", "POST", "hosts", null,
        "create", 200, "FAILED", "127.0.0.1", false));

    // a form without this session's CSRF token is refused before the access rules: the session still names the sender
    admin.headers.put("X-Request-Id", "console-no-csrf");
    assertThat(admin.post("/console/hosts/" + id + "/delete", Map.of()).statusCode()).isEqualTo(403);
    assertThat(only("console-no-csrf")).isEqualTo(new Row("ops-admin", "ADMIN", "CONSOLE", "POST", "hosts", id,
        "delete", 403, "DENIED", "127.0.0.1", false));

    admin.headers.put("X-Request-Id", "console-sign-out");
    assertThat(admin.signOut().statusCode()).isEqualTo(302);
    assertThat(only("console-sign-out")).isEqualTo(new Row("ops-admin", "ADMIN", "CONSOLE", "POST", "console-session",
        null, "sign-out", 302, "SUCCESS", "127.0.0.1", false));

    // signed out, the same form is sent to the sign-in page: refused, with nobody to name
    admin.headers.put("X-Request-Id", "console-signed-out");
    assertThat(admin.post("/console/hosts", Map.of("name", "x")).statusCode()).isIn(302, 403);
    Row signedOut = only("console-signed-out");
    assertThat(signedOut.outcome()).isEqualTo("DENIED");
    assertThat(signedOut.actor()).isNull();
  }

  @Test
  void refusedSignInsAndFormsAreRecordedAsDenied() {
    ConsoleHttpClient stranger = new ConsoleHttpClient(port);
    stranger.headers.put("X-Request-Id", "console-bad-token");
    assertThat(stranger.signIn("not-a-valid-token-0123456789").headers().firstValue("Location").orElseThrow())
        .contains("error");
    assertThat(only("console-bad-token")).isEqualTo(new Row(null, null, "CONSOLE", "POST", "console-session", null,
        "sign-in", 302, "DENIED", "127.0.0.1", false));

    ConsoleHttpClient viewer = ConsoleHttpClient.signedIn(port, ApiTestProperties.VIEWER);
    viewer.headers.put("X-Request-Id", "console-viewer-add");
    assertThat(viewer.postWithCsrf("/console/hosts", hostForm("web-v", "10.0.0.22"), "/console").statusCode())
        .isEqualTo(403);
    assertThat(only("console-viewer-add")).isEqualTo(new Row("ops-viewer", "VIEWER", "CONSOLE", "POST", "hosts", null,
        "create", 403, "DENIED", "127.0.0.1", false));
  }
  /** A refusal the console answers with a redirect is FAILED, not SUCCESS; a confirmation step is no event. */
  @Test
  void aRefusalAnsweredWithARedirectIsFailedAndAConfirmationStepIsNoEvent() {
    var api = new ApiClient("http://127.0.0.1:" + port, ApiTestProperties.ADMIN);
    String pem = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----\n";
    long credential = api.post("/api/v1/credentials", ApiClient.json(Map.of("name", "fleet", "privateKey", pem)))
        .json().get("id").asLong();
    long host = api.post("/api/v1/hosts", ApiClient.json(Map.of("name", "k-1", "address", "10.0.0.1",
        "credentialName", "fleet", "osFamily", "HCE"))).json().get("id").asLong();
    ConsoleHttpClient admin = ConsoleHttpClient.signedIn(port, ApiTestProperties.ADMIN);

    admin.headers.put("X-Request-Id", "console-credential-in-use");
    var refused = admin.postWithCsrf("/console/credentials/" + credential + "/delete", Map.of("confirmed", "true"),
        "/console/credentials");
    assertThat(refused.statusCode()).isEqualTo(302);
    assertThat(only("console-credential-in-use")).isEqualTo(new Row("ops-admin", "ADMIN", "CONSOLE", "POST",
        "credentials", String.valueOf(credential), "delete", 302, "FAILED", "127.0.0.1", false));

    admin.headers.put("X-Request-Id", "console-confirm-step");
    assertThat(admin.postWithCsrf("/console/hosts/" + host + "/delete", Map.of(), "/console/hosts").statusCode())
        .isEqualTo(200);
    assertThat(jdbc.sql("SELECT COUNT(*) FROM audit_events WHERE request_id = 'console-confirm-step'")
        .query(Integer.class).single()).isZero();
    admin.headers.put("X-Request-Id", "console-host-delete");
    assertThat(admin.postWithCsrf("/console/hosts/" + host + "/delete", Map.of("confirmed", "true"), "/console/hosts")
        .statusCode()).isEqualTo(302);
    assertThat(only("console-host-delete").outcome()).isEqualTo("SUCCESS");
    assertThat(only("console-host-delete").inTransaction()).isTrue();
  }
}
