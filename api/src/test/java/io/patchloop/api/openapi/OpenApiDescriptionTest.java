package io.patchloop.api.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.patchloop.api.ApiApplication;
import io.patchloop.api.ApiTestProperties;
import io.patchloop.testing.http.ApiClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The OpenAPI description as a client generator reads it: named operations in tags, JSON answers,
 * the success codes the server sends and problem answers with one schema. Keeps a copy in
 * target/openapi/, for people and for {@code DocumentedStatusCodesIT}. Whether the documented codes are the ones the server sends is
 * {@code DocumentedStatusCodesIT}'s work; the generated client's is the api-client-test module's.
 */
@SpringBootTest(classes = ApiApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OpenApiDescriptionTest {

  /** The copy {@code DocumentedStatusCodesIT} reads after the module's tests. */
  static final Path COPY = Path.of("target", "openapi", "patchloop-api.json");

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    ApiTestProperties.register(registry, "openapi", ApiTestProperties.EVERY_ROLE);
  }

  @LocalServerPort int port;
  JsonNode docs;

  /** Read once: the tests only read it (the examples and empty bodies they post change no description). */
  @BeforeAll
  void read() throws IOException {
    ApiClient.Response r = new ApiClient("http://127.0.0.1:" + port, null).get("/v3/api-docs");
    assertThat(r.status()).isEqualTo(200);
    docs = r.json();
    Files.createDirectories(COPY.getParent());
    Files.writeString(COPY, r.body());
  }

  /** Every (method, path) with its operation, in the description's order. */
  static List<Map.Entry<String, JsonNode>> operations(JsonNode docs) {
    List<Map.Entry<String, JsonNode>> ops = new ArrayList<>();
    docs.get("paths").properties().forEach(path -> path.getValue().properties()
        .forEach(op -> ops.add(Map.entry(op.getKey().toUpperCase() + " " + path.getKey(), op.getValue()))));
    return ops;
  }

  @Test
  void everyOperationHasAStableVerbNounIdAndATag() {
    Set<String> ids = new HashSet<>();
    List<String> problems = new ArrayList<>();
    for (var op : operations(docs)) {
      String id = op.getValue().path("operationId").asText();
      if (!id.matches("(list|get|create|update|delete|import|preview|pause|resume|cancel|trigger|test|replace"
          + "|forget|take|subscribe|unsubscribe|export)[A-Z][A-Za-z]+")) {
        problems.add(op.getKey() + ": operationId '" + id + "' is not a verb and a noun");
      }
      if (!ids.add(id)) {
        problems.add(op.getKey() + ": operationId '" + id + "' is used twice");
      }
      if (op.getValue().path("tags").size() != 1 || op.getValue().path("tags").get(0).asText().endsWith("controller")) {
        problems.add(op.getKey() + ": tags " + op.getValue().path("tags"));
      }
      if (!op.getValue().path("responses").propertyStream().anyMatch(r -> r.getKey().startsWith("2"))) {
        problems.add(op.getKey() + ": no success answer");
      }
      if (op.getValue().path("summary").asText().isBlank()) {
        problems.add(op.getKey() + ": no summary");
      }
    }
    assertThat(problems).isEmpty();
    assertThat(ids).hasSizeGreaterThan(60);
  }

  @Test
  void answersAreJsonCsvOrProblemsNeverAnyType() {
    List<String> problems = new ArrayList<>();
    for (var op : operations(docs)) {
      op.getValue().get("responses").properties().forEach(response -> {
        JsonNode content = response.getValue().path("content");
        content.fieldNames().forEachRemaining(type -> {
          boolean error = response.getKey().startsWith("4") || response.getKey().startsWith("5");
          boolean fine = error ? type.equals("application/problem+json") || response.getKey().equals("502")
              : type.equals("application/json") || type.equals("text/csv");
          if (!fine) {
            problems.add(op.getKey() + " " + response.getKey() + ": " + type);
          }
        });
        if (response.getKey().startsWith("4")) {
          assertThat(content.path("application/problem+json").path("schema").path("$ref").asText())
              .as(op.getKey() + " " + response.getKey()).isEqualTo("#/components/schemas/Problem");
        }
      });
    }
    assertThat(problems).isEmpty();
  }

  @Test
  void createsAnswer201WithLocationAndDeletes204() {
    for (var op : operations(docs)) {
      String id = op.getValue().path("operationId").asText();
      JsonNode responses = op.getValue().get("responses");
      if (id.startsWith("create") || id.startsWith("import")) {
        assertThat(responses.has("201")).as(op.getKey()).isTrue();
        assertThat(responses.has("200")).as(op.getKey()).isEqualTo(id.equals("createTicket"));
        if (id.startsWith("create")) {
          assertThat(responses.get("201").path("headers").has("Location")).as(op.getKey()).isTrue();
        }
      }
      if (op.getKey().startsWith("DELETE ")) {
        assertThat(responses.has("204")).as(op.getKey()).isTrue();
        assertThat(responses.has("200")).as(op.getKey()).isFalse();
      }
    }
  }

  @Test
  void ticketCreationDescribesTheIdempotencyKeyAndTheReplay() {
    JsonNode create = docs.at("/paths/~1api~1v1~1tickets/post");
    assertThat(create.path("operationId").asText()).isEqualTo("createTicket");
    JsonNode key = null;
    for (JsonNode p : create.path("parameters")) {
      if (p.path("name").asText().equals("Idempotency-Key")) {
        key = p;
      }
    }
    assertThat(key).isNotNull();
    assertThat(key.path("in").asText()).isEqualTo("header");
    assertThat(key.path("schema").path("maxLength").asInt()).isEqualTo(128);
    assertThat(create.at("/responses/200/headers").has("Idempotent-Replayed")).isTrue();
    assertThat(create.at("/responses/201/content/application~1json/schema/$ref").asText()).endsWith("/TicketRow");
    assertThat(create.at("/requestBody/content/application~1json/examples").has("scan")).isTrue();
    assertThat(create.at("/responses").has("409")).isTrue();
    // pause, resume and cancel are operations of their own, each answering 202
    for (String action : List.of("pause", "resume", "cancel")) {
      JsonNode op = docs.at("/paths/~1api~1v1~1tickets~1{id}~1" + action + "/post");
      assertThat(op.path("operationId").asText()).isEqualTo(action + "Ticket");
      assertThat(op.path("responses").has("202")).isTrue();
    }
  }

  /** The examples are bodies the server takes: the baseline's is created, the tickets' fail only on hosts this empty database lacks. */
  @Test
  void theExamplesAreBodiesTheServerTakes() {
    ApiClient admin = new ApiClient("http://127.0.0.1:" + port, ApiTestProperties.ADMIN);
    JsonNode baselineExamples = docs.at("/paths/~1api~1v1~1baselines/post/requestBody/content/application~1json/examples");
    assertThat(baselineExamples.size()).isEqualTo(1);
    for (JsonNode example : baselineExamples) {
      ApiClient.Response created = admin.post("/api/v1/baselines", body(example));
      assertThat(created.status()).as(created.toString()).isEqualTo(201);
    }
    JsonNode ticketExamples = docs.at("/paths/~1api~1v1~1tickets/post/requestBody/content/application~1json/examples");
    assertThat(ticketExamples.size()).isEqualTo(2);
    for (JsonNode example : ticketExamples) {
      ApiClient.Response preview = admin.post("/api/v1/tickets/preview", body(example));
      assertThat(preview.status()).as(preview.toString()).isEqualTo(400);
      List<String> fields = new ArrayList<>();
      preview.json().get("errors").forEach(e -> fields.add(e.get("field").asText().replaceAll("\\[\\d+]$", "")));
      assertThat(fields).as(preview.toString()).isNotEmpty().isSubsetOf("hostIds", "selector", "baselineId");
    }
  }

  /**
   * The required properties documented are the ones the server answers "is required" for: each
   * create's body posted empty, and the two nested bodies (a batch, a baseline rule) posted empty
   * inside an otherwise sound request.
   */
  @Test
  void requiredPropertiesAreTheOnesTheServerRequires() {
    ApiClient admin = new ApiClient("http://127.0.0.1:" + port, ApiTestProperties.ADMIN);
    JsonNode schemas = docs.at("/components/schemas");
    Map<String, Set<String>> documented = new java.util.TreeMap<>();
    schemas.properties().forEach(e -> {
      Set<String> required = new java.util.TreeSet<>();
      e.getValue().path("required").forEach(r -> required.add(r.asText()));
      if (!required.isEmpty() && !e.getKey().equals("Problem") && !e.getKey().equals("FieldProblem")) {
        documented.put(e.getKey(), required);
      }
    });
    Map<String, Set<String>> answered = new java.util.TreeMap<>();
    docs.get("paths").properties().forEach(path -> {
      JsonNode body = path.getValue().at("/post/requestBody/content/application~1json/schema/$ref");
      if (!path.getKey().contains("{") && !body.isMissingNode() && !path.getKey().endsWith("/preview")) {
        answered.put(body.asText().replace("#/components/schemas/", ""), missing(admin.post(path.getKey(), "{}"), ""));
      }
    });
    answered.put("BatchSpec", missing(admin.post("/api/v1/tickets/preview",
        "{\"operation\":\"SCAN\",\"selector\":{\"all\":true},\"batch\":{}}"), "batch."));
    answered.put("ApprovalRule", missing(admin.post("/api/v1/baselines",
        "{\"name\":\"x\",\"os\":\"HCE\",\"rules\":[{\"approveAfterDays\":1}]}"), "rules[0]."));
    answered.values().removeIf(Set::isEmpty);
    assertThat(documented).isEqualTo(answered);
    assertThat(documented).containsKeys("TicketSpec", "HostSpec", "BaselineSpec");
  }

  /** The fields a 400 says "is required" for, under a prefix, without it. */
  static Set<String> missing(ApiClient.Response r, String prefix) {
    assertThat(r.status()).as(r.toString()).isEqualTo(400);
    Set<String> fields = new java.util.TreeSet<>();
    r.json().get("errors").forEach(e -> {
      String field = e.get("field").asText();
      if (e.get("reason").asText().equals("is required") && field.startsWith(prefix)) {
        fields.add(field.substring(prefix.length()));
      }
    });
    return fields;
  }

  /** An example's value, written as a JSON string or as the JSON itself. */
  static String body(JsonNode example) {
    JsonNode value = example.get("value");
    return value.isTextual() ? value.asText() : value.toString();
  }

  @Test
  void enumsAndFormatsAreTyped() {
    JsonNode schemas = docs.at("/components/schemas");
    assertThat(schemas.at("/TicketSpec/properties/operation/$ref").asText()).endsWith("/Operation");
    assertThat(schemas.at("/Operation/enum").toString()).contains("SCAN", "REPAIR");
    // nested types that share a simple name stay apart
    assertThat(schemas.at("/HostOutcomeState/enum").toString()).contains("SUCCEEDED");
    assertThat(schemas.at("/AgentStatusState/enum").toString()).contains("ONLINE");
    assertThat(schemas.at("/TicketSpec/properties/startAt/format").asText()).isEqualTo("date-time");
    assertThat(schemas.at("/TicketSpecCallback/properties/url/format").asText()).isEqualTo("uri");
    assertThat(schemas.at("/TicketStatus/enum").toString()).contains("RUNNING", "COMPLETED");
    assertThat(schemas.at("/Problem/properties/errors/items/$ref").asText()).endsWith("/FieldProblem");
    // the request body as received: values of any JSON type, not only objects
    assertThat(schemas.at("/TicketRow/properties/parameters/additionalProperties").asBoolean()).isTrue();
    JsonNode listTickets = docs.at("/paths/~1api~1v1~1tickets/get/parameters");
    for (JsonNode p : listTickets) {
      if (p.path("name").asText().startsWith("created")) {
        assertThat(p.at("/schema/format").asText()).as(p.toString()).isEqualTo("date-time");
      }
    }
  }

  @Test
  void rolesComeFromTheRulesTheServerApplies() {
    JsonNode listHosts = docs.at("/paths/~1api~1v1~1hosts/get");
    assertThat(listHosts.path("description").asText()).contains("Needs the viewer role");
    assertThat(listHosts.path("responses").has("403")).isFalse();
    JsonNode createHost = docs.at("/paths/~1api~1v1~1hosts/post");
    assertThat(createHost.path("description").asText()).contains("Needs the admin role");
    assertThat(createHost.path("responses").has("403")).isTrue();
    assertThat(docs.at("/paths/~1api~1v1~1hooks/get/responses").has("403")).isTrue();
  }
}
