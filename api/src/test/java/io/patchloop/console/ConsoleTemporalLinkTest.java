package io.patchloop.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.patchloop.api.ApiApplication;
import io.patchloop.api.ApiTestProperties;
import io.patchloop.testing.http.ApiClient;
import io.patchloop.workflows.TicketSearchAttributes;
import io.patchloop.workflows.ticket.TicketRequest;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionDescription;
import io.temporal.testing.TestWorkflowEnvironment;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Temporal's Web UI and the console, over real HTTP against a real MariaDB and the Temporal test
 * server: a ticket's page links to its workflow in the UI only when {@code patchloop.temporal.ui-url}
 * is set, and the workflow the API starts carries the static summary and details the UI lists it by.
 */
class ConsoleTemporalLinkTest {

  /** Signs in as a viewer, makes a host and a SCAN ticket of it, and answers the ticket's page. */
  abstract static class TicketPage {

    @LocalServerPort int port;
    @Autowired JdbcClient jdbc;
    @Autowired WorkflowClient temporal;
    @Autowired TestWorkflowEnvironment testServer;
    /** the viewer whose browser asks for the pages, signed in at the first one */
    ConsoleHttpClient viewer;

    /** A new SCAN ticket of a new host; ended in the database, so its page asks no worker for its live part. */
    String ticket(String hostName) {
      for (var key : TicketSearchAttributes.ALL) {
        testServer.registerSearchAttribute(key.getName(), IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD);
      }
      ApiClient admin = new ApiClient("http://127.0.0.1:" + port, ApiTestProperties.ADMIN);
      var host = admin.post("/api/v1/hosts", ApiClient.json(Map.of("name", hostName, "address", "127.0.0.1",
          "port", 2201, "keyPath", "/keys/lab", "osFamily", "HCE")));
      assertThat(host.status()).as(host.toString()).isEqualTo(201);
      var ticket = admin.as(ApiTestProperties.OPERATOR).post("/api/v1/tickets", ApiClient.json(Map.of(
          "operation", "SCAN", "hostIds", List.of(host.json().get("id").asLong()), "externalRef", "CHG0042")));
      assertThat(ticket.status()).as(ticket.toString()).isEqualTo(201);
      String id = ticket.json().get("id").asText();
      jdbc.sql("UPDATE tickets SET status = 'COMPLETED' WHERE id = ?").param(id).update();
      return id;
    }

    String page(String path) {
      if (viewer == null) {
        viewer = new ConsoleHttpClient(port);
        viewer.signIn(ApiTestProperties.VIEWER);
      }
      HttpResponse<String> r = viewer.get(path);
      assertThat(r.statusCode()).as(path).isEqualTo(200);
      return r.body();
    }
  }

  @Nested
  @SpringBootTest(classes = ApiApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
  class WithTheUiUrlSet extends TicketPage {

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
      ApiTestProperties.register(registry, "temporalui", ApiTestProperties.EVERY_ROLE);
      // a trailing slash, as people write it, and a namespace of the platform's own
      registry.add("patchloop.temporal.ui-url", () -> "http://localhost:8233/");
      registry.add("spring.temporal.namespace", () -> "patchloop");
    }

    @Test
    void theTicketPageLinksToItsWorkflowInTemporalsUi() {
      String id = ticket("lab01");
      String body = page("/console/tickets/" + id);
      assertThat(body).contains("id=\"temporal-link\"")
          .contains("href=\"http://localhost:8233/namespaces/patchloop/workflows/" + id + "\"")
          .contains("Open in Temporal")
          .contains("rel=\"noopener noreferrer\"");
      assertThat(page("/console/tickets/" + id + "/live")).as("the polled part does not repeat it")
          .doesNotContain("temporal-link");
    }

    @Test
    void theWorkflowTheApiStartsCarriesItsSummaryDetailsAndLabels() {
      String id = ticket("lab02");
      WorkflowExecutionDescription described = temporal.newUntypedWorkflowStub(id).describe();
      assertThat(described.getRawDescription().getExecutionConfig().getUserMetadata().hasSummary())
          .as("DescribeWorkflowExecution's execution_config.user_metadata.summary").isTrue();
      assertThat(described.getStaticSummary()).isEqualTo("SCAN 1 host · baseline HCE-default · 1 batch");
      assertThat(described.getStaticDetails()).contains("`" + id + "`").contains("- hosts: 1 in 1 batch, 5 at once")
          .contains("- baseline: HCE-default").contains("- external reference: CHG0042")
          .contains("- metadata refresh: AUTO");

      HistoryEvent started = temporal.fetchHistory(id).getEvents().get(0);
      assertThat(started.getEventType()).isEqualTo(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED);
      TicketRequest request = temporal.getOptions().getDataConverter().fromPayload(
          started.getWorkflowExecutionStartedEventAttributes().getInput().getPayloads(0), TicketRequest.class,
          TicketRequest.class);
      assertThat(request.labels().baseline()).isEqualTo("HCE-default");
      assertThat(request.labels().hosts().values()).containsExactly("lab02 127.0.0.1:2201");
    }
  }

  @Nested
  @SpringBootTest(classes = ApiApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
  class WithoutTheUiUrl extends TicketPage {

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
      ApiTestProperties.register(registry, "temporalnoui", ApiTestProperties.EVERY_ROLE);
    }

    @Test
    void theTicketPageHasNoLinkToTemporal() {
      String id = ticket("lab03");
      String body = page("/console/tickets/" + id);
      assertThat(body).contains(id).doesNotContain("temporal-link").doesNotContain("Open in Temporal")
          .doesNotContain("/namespaces/");
    }
  }
}
