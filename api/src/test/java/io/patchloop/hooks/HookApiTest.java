package io.patchloop.hooks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.patchloop.api.ApiApplication;
import io.patchloop.api.ApiTestProperties;
import io.patchloop.common.OsFamily;
import io.patchloop.hosts.HostSpec;
import io.patchloop.hosts.HostStore;
import io.patchloop.testing.http.ApiClient;
import io.patchloop.testing.http.ApiClient.Response;
import java.util.ArrayList;
import java.util.HashMap;
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
 * Hook scripts over HTTP against a real MariaDB: admins store them, each write a new version;
 * operators read them and name them on repair tickets; what a shell must never get is refused with
 * the field and the reason.
 */
@SpringBootTest(classes = ApiApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class HookApiTest {

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    ApiTestProperties.register(registry, "hookapi", ApiTestProperties.EVERY_ROLE);
  }

  @LocalServerPort int port;
  @Autowired JdbcClient jdbc;
  @Autowired HostStore hosts;

  ApiClient admin;
  ApiClient operator;
  ApiClient viewer;

  @BeforeEach
  void clean() {
    String base = "http://127.0.0.1:" + port;
    admin = new ApiClient(base, ApiTestProperties.ADMIN);
    operator = admin.as(ApiTestProperties.OPERATOR);
    viewer = admin.as(ApiTestProperties.VIEWER);
    jdbc.sql("DELETE FROM hook_scripts").update();
    jdbc.sql("DELETE FROM tickets").update();
    jdbc.sql("DELETE FROM hosts").update();
  }

  static String hook(String name, String script, Integer timeout) {
    Map<String, Object> body = new HashMap<>();
    body.put("name", name);
    body.put("script", script);
    body.put("description", "takes the node out of the load balancer");
    if (timeout != null) {
      body.put("timeoutSeconds", timeout);
    }
    return ApiClient.json(body);
  }

  static Map<String, String> errors(Response r) {
    Map<String, String> byField = new HashMap<>();
    r.json().get("errors").forEach(e -> byField.put(e.get("field").asText(), e.get("reason").asText()));
    return byField;
  }

  @Test
  void anAdminStoresVersionsAndOperatorsReadThem() {
    Response created = admin.post("/api/v1/hooks", hook("drain-node", "#!/bin/sh\nlb-ctl drain \"$(hostname)\"\n", 60));
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    JsonNode v1 = created.json();
    assertThat(v1.get("version").asInt()).isEqualTo(1);
    assertThat(v1.get("timeoutSeconds").asInt()).isEqualTo(60);
    assertThat(v1.get("createdBy").asText()).isEqualTo("ops-admin");
    assertThat(v1.get("sha256").asText()).hasSize(64);

    Response second = admin.put("/api/v1/hooks/drain-node", ApiClient.json(Map.of("script", "lb-ctl drain --wait\n")));
    assertThat(second.status()).as(second.toString()).isEqualTo(200);
    assertThat(second.json().get("version").asInt()).isEqualTo(2);
    assertThat(second.json().get("timeoutSeconds").asInt()).as("the default").isEqualTo(300);
    assertThat(second.json().get("sha256").asText()).isNotEqualTo(v1.get("sha256").asText());

    JsonNode newest = operator.get("/api/v1/hooks/drain-node").json();
    assertThat(newest.get("version").asInt()).isEqualTo(2);
    assertThat(newest.get("versions")).extracting(JsonNode::asInt).containsExactly(1, 2);
    assertThat(operator.get("/api/v1/hooks/drain-node/versions/1").json().get("script").asText())
        .isEqualTo("#!/bin/sh\nlb-ctl drain \"$(hostname)\"\n");
    assertThat(operator.get("/api/v1/hooks").json()).extracting(h -> h.get("name").asText() + "@"
        + h.get("version").asInt()).containsExactly("drain-node@2");

    assertThat(viewer.get("/api/v1/hooks").status()).as("scripts that run as root are not a viewer's").isEqualTo(403);
    assertThat(operator.post("/api/v1/hooks", hook("mine", "true", null)).status()).isEqualTo(403);
    assertThat(operator.put("/api/v1/hooks/drain-node", hook("drain-node", "true", null)).status()).isEqualTo(403);

    Response again = admin.post("/api/v1/hooks", hook("drain-node", "true", null));
    assertThat(again.status()).isEqualTo(409);
    assertThat(again.body()).contains("PUT /api/v1/hooks/drain-node");
    assertThat(admin.put("/api/v1/hooks/nope", hook(null, "true", null)).status()).isEqualTo(404);
    assertThat(admin.get("/api/v1/hooks/drain-node/versions/3").status()).isEqualTo(404);

    assertThat(jdbc.sql("SELECT COUNT(*) FROM audit_events WHERE resource = 'hooks' AND outcome = 'SUCCESS'")
        .query(Integer.class).single()).as("both writes are audited").isGreaterThanOrEqualTo(2);

    assertThat(admin.delete("/api/v1/hooks/drain-node").status()).isEqualTo(204);
    assertThat(operator.get("/api/v1/hooks/drain-node").status()).isEqualTo(404);
    assertThat(admin.delete("/api/v1/hooks/drain-node").status()).isEqualTo(404);
  }

  /** What no shell should get, and what no one could run, is refused field by field; nothing is stored. */
  @Test
  void aScriptOrNameThatCouldHarmAShellIsRefusedWithItsReason() {
    Response bad = admin.post("/api/v1/hooks", hook("Drain Node", "echo hi\r\nexit 0\r\n", 0));
    assertThat(bad.status()).as(bad.toString()).isEqualTo(400);
    Map<String, String> errors = errors(bad);
    assertThat(errors.get("name")).startsWith("must be 1-64 lower-case letters");
    assertThat(errors.get("script")).isEqualTo("has a carriage return on line 1: save the script with Unix line ends (LF)");
    assertThat(errors.get("timeoutSeconds")).isEqualTo("must be between 1 and 3600");

    Map<String, String> escape = errors(admin.post("/api/v1/hooks", hook("colour", "echo ok\nprintf '\u001b[31m'\n", null)));
    assertThat(escape.get("script")).isEqualTo("has the control character U+001B on line 2; only text, tabs and line"
        + " ends may reach a host's shell");
    assertThat(errors(admin.post("/api/v1/hooks", hook("big", "#".repeat(16 * 1024 + 1), null))).get("script"))
        .isEqualTo("must be at most 16384 characters (16385 given)");
    assertThat(errors(admin.post("/api/v1/hooks", hook("blank", " \n\t", null))).get("script")).isEqualTo("is required");
    assertThat(errors(admin.post("/api/v1/hooks", hook("nothing", null, null))).get("script")).isNotBlank();

    admin.post("/api/v1/hooks", hook("health", "curl -fs localhost/health", null));
    Map<String, String> renamed = errors(admin.put("/api/v1/hooks/health", hook("other", "true", null)));
    assertThat(renamed.get("name")).isEqualTo("must be left out or be 'health', the hook this is a new version of");
    assertThat(jdbc.sql("SELECT COUNT(*) FROM hook_scripts").query(Integer.class).single()).isEqualTo(1);
  }

  /** A ticket names hooks by name or name@version; what does not resolve is the ticket's 400, before any host is read. */
  @Test
  void aTicketsHooksMustExistAndBelongToARepair() {
    long web1 = hosts.create(new HostSpec("web-1", "10.0.0.1", null, null, "/keys/lab", null, OsFamily.HCE, null,
        Map.of())).id();
    admin.post("/api/v1/hooks", hook("drain", "true", null));
    admin.put("/api/v1/hooks/drain", hook(null, "exit 0", null));

    Map<String, String> scan = errors(operator.post("/api/v1/tickets", ApiClient.json(Map.of("operation", "SCAN",
        "hostIds", List.of(web1), "preHook", "drain"))));
    assertThat(scan.get("preHook")).isEqualTo("applies to REPAIR tickets only: hooks run around a host's install");

    List<String> problems = new ArrayList<>();
    for (String[] c : new String[][] {{"preHook", "missing"}, {"postHook", "drain@9"}, {"preHook", "drain;reboot"}}) {
      Response r = operator.post("/api/v1/tickets", ApiClient.json(Map.of("operation", "REPAIR", "hostIds",
          List.of(web1), c[0], c[1])));
      assertThat(r.status()).as(r.toString()).isEqualTo(400);
      problems.add(c[0] + ": " + errors(r).get(c[0]));
    }
    assertThat(problems).containsExactly(
        "preHook: no hook is named 'missing'; an admin registers it with POST /api/v1/hooks",
        "postHook: hook 'drain' has no version 9 (it has [1, 2])",
        "preHook: must name a hook (such as drain-node) or one of its versions (drain-node@3)");

    // both hooks resolve: what stops this ticket is the host's missing report, checked after them
    Response noReport = operator.post("/api/v1/tickets", ApiClient.json(Map.of("operation", "REPAIR", "hostIds",
        List.of(web1), "preHook", "drain@1", "postHook", "drain")));
    assertThat(noReport.status()).isEqualTo(400);
    assertThat(errors(noReport)).containsOnlyKeys("hostIds");
    assertThat(jdbc.sql("SELECT COUNT(*) FROM tickets").query(Integer.class).single()).isZero();
  }
}
