package io.patchloop.api;

import io.patchloop.api.security.AccessRules;
import io.patchloop.api.security.Role;
import io.swagger.v3.core.converter.ModelConverter;
import io.swagger.v3.core.jackson.ModelResolver;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;

/**
 * The OpenAPI description at /v3/api-docs (and Swagger UI at /swagger-ui.html) that clients are
 * generated from. Controllers name their operations and their success answers; this adds what
 * every operation shares, from the same rules the server applies: the bearer scheme, the role
 * each call needs ({@link AccessRules}), and the RFC 9457 problem answers (400, 401, 403, 404,
 * 406, 413, 415, 503) with one {@value #PROBLEM} schema, so that a generated client raises typed
 * errors. {@code DocumentedStatusCodesIT} holds all of it to what the server was seen to send.
 */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

  /**
   * The properties each request body must have: what the server's validation answers "is required"
   * for when they are missing ({@code OpenApiDescriptionTest} posts bodies without them and holds
   * each list to the answer). Choices between properties (hostIds or selector, keyPath or
   * credentialName) are left to the server's 400.
   */
  static final Map<String, List<String>> REQUIRED = Map.ofEntries(
      Map.entry("TicketSpec", List.of("operation")),
      Map.entry("BatchSpec", List.of("strategy")),
      Map.entry("HostSpec", List.of("name", "address", "osFamily")),
      Map.entry("BaselineSpec", List.of("name", "os")),
      Map.entry("ApprovalRule", List.of("complianceLevel")),
      Map.entry("CredentialSpec", List.of("name", "privateKey")),
      Map.entry("HookScriptSpec", List.of("name", "script")),
      Map.entry("MaintenanceWindowSpec", List.of("name", "cron", "durationMinutes", "selector")),
      Map.entry("PlanSpec", List.of("name", "cron", "selector")),
      Map.entry("ChannelSpec", List.of("name", "type")),
      Map.entry("SubscriptionSpec", List.of("channelId", "event")));

  static final String PROBLEM = "Problem";
  static final String PROBLEM_MEDIA_TYPE = "application/problem+json";

  @Bean
  OpenAPI patchloopOpenApi() {
    // an enum is one named schema that properties and parameters refer to, so a generated client has
    // one TicketStatus type rather than a copy per place it occurs (read when the description is built)
    ModelResolver.enumsAsRef = true;
    return new OpenAPI()
        .info(new Info().title("Patchloop API").version("v1")
            .description("Scan Linux hosts against patch baselines, read compliance reports, repair in safe batches. "
                + "Every call needs `Authorization: Bearer <token>`; the role each operation needs is in its "
                + "description. Errors are RFC 9457 problems (`application/problem+json`); a 400 lists each bad "
                + "field with the reason in `errors`."))
        .components(new Components()
            .addSecuritySchemes("bearer", new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("bearer")))
        .addSecurityItem(new SecurityRequirement().addList("bearer"));
  }

  /**
   * The problem schemas, added with the answers that refer to them: springdoc builds the components
   * from the models it meets and keeps only what is referred to.
   */
  private static void addProblemSchemas(Components components) {
    components.addSchemas("FieldProblem", new ObjectSchema()
        .description("One bad field of a request and why it is bad")
        .addProperty("field", new StringSchema().description("a JSON path such as rules[2].approveAfterDays, "
            + "a parameter or header name, or body").example("name"))
        .addProperty("reason", new StringSchema().example("must be 1-128 letters, digits, '.', '_' or '-'"))
        .required(List.of("field", "reason")));
    components.addSchemas(PROBLEM, new ObjectSchema()
        .description("An RFC 9457 problem: what went wrong, never a stack trace")
        .addProperty("type", new StringSchema().format("uri-reference").example("about:blank"))
        .addProperty("title", new StringSchema().example("Invalid request"))
        .addProperty("status", new IntegerSchema().example(400))
        .addProperty("detail", new StringSchema().example("Invalid host"))
        .addProperty("instance", new StringSchema().format("uri-reference").example("/api/v1/hosts"))
        .addProperty("errors", new ArraySchema().items(new Schema<>().$ref("#/components/schemas/FieldProblem"))
            .description("each bad field (400), or the field in conflict (409)"))
        .addProperty("incident", new StringSchema().description("500 only: the id to find in the server log"))
        .required(List.of("title", "status")));
  }

  /** Picked up by springdoc with the converters it registers itself. */
  @Bean
  ModelConverter schemaNames() {
    return new SchemaNames();
  }

  /** The answers every operation shares, derived from its path, method, parameters and body. */
  @Bean
  OpenApiCustomizer sharedAnswers() {
    return openApi -> {
      if (openApi.getPaths() == null) {
        return;
      }
      openApi.getPaths().forEach((path, item) -> item.readOperationsMap()
          .forEach((method, operation) -> {
            addCsvAnswer(operation);
            addSharedAnswers(path, method, operation);
          }));
      if (openApi.getComponents().getSchemas() != null) {
        openApi.getComponents().getSchemas().values().forEach(OpenApiConfiguration::tightenProperties);
        REQUIRED.forEach((name, properties) -> {
          Schema<?> schema = openApi.getComponents().getSchemas().get(name);
          if (schema != null) {
            schema.setRequired(properties);
          }
        });
      }
      addProblemSchemas(openApi.getComponents());
    };
  }

  /**
   * The CSV convention of {@code CsvResponse}: an operation with a {@code format} parameter answers
   * CSV for {@code format=csv} (or {@code Accept: text/csv}), JSON otherwise.
   */
  private static void addCsvAnswer(Operation operation) {
    if (operation.getParameters() == null) {
      return;
    }
    operation.getParameters().stream().filter(p -> "format".equals(p.getName()) && "query".equals(p.getIn()))
        .findFirst().ifPresent(format -> {
          format.setDescription("csv: every matching row as a CSV file, paging ignored (as `Accept: text/csv`); "
              + "json (the default): JSON");
          format.setSchema(new StringSchema()._enum(List.of("csv", "json")));
          ApiResponse ok = operation.getResponses().get("200");
          if (ok != null && ok.getContent() != null) {
            ok.getContent().addMediaType("text/csv", new MediaType().schema(new StringSchema()
                .description("a header line, then one row per match (RFC 4180)")));
          }
        });
  }

  /**
   * Two property types swagger leaves too loose. A {@code Map<String, Object>} (a ticket's request
   * body as received, say) holds strings, numbers and arrays as well as objects; swagger describes
   * its values as objects, which a strict client (Python's pydantic) then refuses: its values are
   * any JSON. URLs (a callback's, a webhook's) are strings the server checks as absolute http(s)
   * URIs: format uri.
   */
  @SuppressWarnings("rawtypes")
  private static void tightenProperties(Schema schema) {
    if (schema.getProperties() == null) {
      return;
    }
    ((Map<String, Schema>) schema.getProperties()).forEach((name, property) -> {
      if (property.getAdditionalProperties() instanceof Schema values && "object".equals(values.getType())
          && values.getProperties() == null && values.get$ref() == null && values.getAdditionalProperties() == null) {
        property.setAdditionalProperties(Boolean.TRUE);
      }
      if ((name.equals("url") || name.endsWith("Url")) && "string".equals(property.getType())
          && property.getFormat() == null) {
        property.setFormat("uri");
      }
    });
  }

  private static void addSharedAnswers(String path, PathItem.HttpMethod method, Operation operation) {
    ApiResponses responses = operation.getResponses();
    Role role = AccessRules.required(HttpMethod.valueOf(method.name()), path);
    String needs = "Needs the " + role.name().toLowerCase(Locale.ROOT) + " role"
        + (role == Role.ADMIN ? "." : " or a higher one.");
    operation.setDescription(operation.getDescription() == null ? needs : operation.getDescription() + "\n\n" + needs);
    boolean hasInput = operation.getRequestBody() != null
        || (operation.getParameters() != null && !operation.getParameters().isEmpty());
    if (hasInput) {
      responses.putIfAbsent("400", new ApiResponse().description("A parameter or the body is invalid: `errors` "
          + "names each bad field with the reason"));
    }
    responses.putIfAbsent("401", new ApiResponse().description("No token, or not a valid one"));
    if (role != Role.VIEWER) {
      responses.putIfAbsent("403", new ApiResponse().description("The token's role may not do this"));
    }
    if (path.contains("{")) {
      responses.putIfAbsent("404", new ApiResponse().description("No such " + resourceOf(path)));
    }
    if (operation.getRequestBody() != null) {
      responses.putIfAbsent("413", new ApiResponse().description("The body is larger than this endpoint takes"));
      responses.putIfAbsent("415", new ApiResponse().description("The body is not of a type this operation takes "
          + "(Content-Type)"));
    }
    boolean answersContent = responses.entrySet().stream().anyMatch(e -> e.getKey().startsWith("2")
        && e.getValue().getContent() != null && !e.getValue().getContent().isEmpty());
    if (answersContent) {
      responses.putIfAbsent("406", new ApiResponse().description("The Accept header names no type this operation answers"));
    }
    if (method != PathItem.HttpMethod.GET && !path.equals("/api/v1/tickets/preview")) {
      responses.putIfAbsent("503", new ApiResponse().description("The audit log cannot be written just now, "
          + "so the change was not made; try again later"));
    }
    // a 4xx is always a problem (springdoc would give a declared 409 the operation's own body);
    // a 5xx is one unless the controller says what else it answers (the channel test's 502)
    responses.forEach((code, response) -> {
      boolean noContent = response.getContent() == null || response.getContent().isEmpty();
      if (code.startsWith("4") || (code.startsWith("5") && noContent)) {
        response.setContent(problemContent());
      }
    });
    // 2xx first, then errors, as people read them
    ApiResponses sorted = new ApiResponses();
    responses.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> sorted.addApiResponse(e.getKey(), e.getValue()));
    operation.setResponses(sorted);
  }

  private static Content problemContent() {
    return new Content().addMediaType(PROBLEM_MEDIA_TYPE,
        new MediaType().schema(new Schema<>().$ref("#/components/schemas/" + PROBLEM)));
  }

  /** "host" for /api/v1/hosts/{id}/compliance: the resource of the path's first variable. */
  private static String resourceOf(String path) {
    String[] segments = path.split("/");
    for (int i = 1; i < segments.length; i++) {
      if (segments[i].startsWith("{")) {
        return segments[i - 1].replaceAll("ies$", "y").replaceAll("s$", "").replace('-', ' ');
      }
    }
    return "resource";
  }
}
