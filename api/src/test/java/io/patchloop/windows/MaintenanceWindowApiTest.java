package io.patchloop.windows;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.patchloop.api.ApiApplication;
import io.patchloop.api.ApiTestProperties;
import io.patchloop.common.OsFamily;
import io.patchloop.hosts.HostSpec;
import io.patchloop.hosts.HostStore;
import io.patchloop.testing.http.ApiClient;
import io.patchloop.testing.http.ApiClient.Response;
import java.time.Instant;
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
 * Maintenance windows over HTTP against a real MariaDB: admins write them; everyone reads them with
 * whether they are open and their next openings; a ticket bound to one must name one that exists
 * and hold only hosts it covers. (The waiting itself: TicketWorkflowTest and RepairHooksEndToEndTest.)
 */
@SpringBootTest(classes = ApiApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class MaintenanceWindowApiTest {

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    ApiTestProperties.register(registry, "windowapi", ApiTestProperties.EVERY_ROLE);
  }

  @LocalServerPort int port;
  @Autowired JdbcClient jdbc;
  @Autowired HostStore hosts;

  ApiClient admin;
  ApiClient operator;

  @BeforeEach
  void clean() {
    admin = new ApiClient("http://127.0.0.1:" + port, ApiTestProperties.ADMIN);
    operator = admin.as(ApiTestProperties.OPERATOR);
    jdbc.sql("DELETE FROM maintenance_windows").update();
    jdbc.sql("DELETE FROM tickets").update();
    jdbc.sql("DELETE FROM hosts").update();
  }

  static Map<String, String> errors(Response r) {
    Map<String, String> byField = new HashMap<>();
    r.json().get("errors").forEach(e -> byField.put(e.get("field").asText(), e.get("reason").asText()));
    return byField;
  }

  static String window(String name, String cron, String zone, Integer minutes, Map<String, Object> selector) {
    Map<String, Object> body = new HashMap<>();
    body.put("name", name);
    body.put("cron", cron);
    body.put("durationMinutes", minutes);
    body.put("selector", selector);
    if (zone != null) {
      body.put("timeZone", zone);
    }
    return ApiClient.json(body);
  }

  @Test
  void anAdminWritesWindowsAndEveryoneSeesWhenTheyOpen() {
    Response created = admin.post("/api/v1/maintenance-windows", window("sunday-night", "0 2 * * SUN",
        "Asia/Shanghai", 240, Map.of("tags", Map.of("env", "prod"))));
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    JsonNode view = created.json();
    assertThat(view.get("window").get("onClose").asText()).as("the default").isEqualTo("WAIT");
    List<Instant> next = new java.util.ArrayList<>();
    view.get("nextOpenings").forEach(n -> next.add(Instant.parse(n.asText())));
    assertThat(next).hasSize(3);
    assertThat(next.get(1)).isEqualTo(next.get(0).plusSeconds(7 * 24 * 3600));
    assertThat(next.get(0).atZone(java.time.ZoneId.of("Asia/Shanghai")).getDayOfWeek())
        .isEqualTo(java.time.DayOfWeek.SUNDAY);
    assertThat(Instant.parse(view.get("changesAt").asText())).isAfter(Instant.now());

    long id = view.get("window").get("id").asLong();
    Response always = admin.put("/api/v1/maintenance-windows/" + id, window("sunday-night", "* * * * *", "UTC", 5,
        Map.of("all", true)));
    assertThat(always.status()).as(always.toString()).isEqualTo(200);
    assertThat(always.json().get("open").asBoolean()).as("a window that opens every minute for 5").isTrue();
    assertThat(admin.as(ApiTestProperties.VIEWER).get("/api/v1/maintenance-windows").json()).hasSize(1);
    Response one = admin.as(ApiTestProperties.VIEWER).get("/api/v1/maintenance-windows/" + id);
    assertThat(one.status()).as(one.toString()).isEqualTo(200);
    assertThat(one.json().get("window").get("cron").asText()).isEqualTo("* * * * *");
    assertThat(operator.post("/api/v1/maintenance-windows", window("x", "0 1 * * *", null, 60, Map.of("all", true)))
        .status()).isEqualTo(403);
    assertThat(admin.post("/api/v1/maintenance-windows", window("sunday-night", "0 1 * * *", null, 60,
        Map.of("all", true))).status()).isEqualTo(409);
    assertThat(admin.delete("/api/v1/maintenance-windows/" + id).status()).isEqualTo(204);
    assertThat(admin.get("/api/v1/maintenance-windows/" + id).status()).isEqualTo(404);
  }

  @Test
  void aWindowThatCouldNeverBeRightIsRefusedFieldByField() {
    Response bad = admin.post("/api/v1/maintenance-windows", window("Night Shift", "0 0 31 2 *", "Mars/Olympus", 0,
        Map.of("all", true, "osFamily", "HCE")));
    assertThat(bad.status()).as(bad.toString()).isEqualTo(400);
    Map<String, String> e = errors(bad);
    assertThat(e).containsOnlyKeys("name", "timeZone", "durationMinutes", "selector");
    assertThat(e.get("timeZone")).isEqualTo("is not a time zone; use an IANA name such as Asia/Shanghai or UTC");
    assertThat(e.get("durationMinutes")).isEqualTo("must be between 1 and 10080");
    assertThat(e.get("selector")).isEqualTo("give either all: true, or tags and/or osFamily");

    assertThat(errors(admin.post("/api/v1/maintenance-windows", window("feb-31", "0 0 31 2 *", null, 60,
        Map.of("all", true)))).get("cron")).isEqualTo("'0 0 31 2 *' never fires");
    assertThat(errors(admin.post("/api/v1/maintenance-windows", window("by-report", "0 1 * * *", null, 60,
        Map.of("complianceStatus", "NON_COMPLIANT")))).get("selector"))
        .isEqualTo("a window covers hosts by tags and OS family, not by their reports");
    assertThat(jdbc.sql("SELECT COUNT(*) FROM maintenance_windows").query(Integer.class).single()).isZero();
  }

  /** A window is agreed for the hosts it covers: a ticket bound to it may not hold another. */
  @Test
  void aTicketsWindowMustExistAndCoverEveryHost() {
    long prod = hosts.create(new HostSpec("web-prod", "10.0.0.1", null, null, "/keys/lab", null, OsFamily.HCE, null,
        Map.of("env", "prod"))).id();
    long test = hosts.create(new HostSpec("web-test", "10.0.0.2", null, null, "/keys/lab", null, OsFamily.HCE, null,
        Map.of("env", "test"))).id();
    admin.post("/api/v1/maintenance-windows", window("prod-night", "0 2 * * *", "UTC", 240,
        Map.of("tags", Map.of("env", "prod"))));

    Response unknown = operator.post("/api/v1/tickets", ApiClient.json(Map.of("operation", "SCAN",
        "hostIds", List.of(prod), "maintenanceWindow", "nope")));
    assertThat(errors(unknown).get("maintenanceWindow"))
        .isEqualTo("no maintenance window is named 'nope'; an admin creates it with POST /api/v1/maintenance-windows");

    Response outside = operator.post("/api/v1/tickets", ApiClient.json(Map.of("operation", "SCAN",
        "hostIds", List.of(prod, test), "maintenanceWindow", "prod-night")));
    assertThat(outside.status()).isEqualTo(400);
    assertThat(errors(outside).get("hostIds")).isEqualTo("1 host(s) are not covered by maintenance window"
        + " 'prod-night': web-test (id " + test + "); leave them out, or widen the window's selector");
    assertThat(jdbc.sql("SELECT COUNT(*) FROM tickets").query(Integer.class).single()).isZero();
  }
}
