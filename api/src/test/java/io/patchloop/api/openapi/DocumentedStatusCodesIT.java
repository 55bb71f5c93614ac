package io.patchloop.api.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Holds the OpenAPI description to what the server was seen to answer: every status the api
 * module's tests got from an operation (written down by {@link StatusCodeRecorder} during the
 * Surefire run just before) must be documented for it, and every success status documented must
 * have been seen, so a 201 documented as 200 (the drift that broke generated clients) fails here.
 * Runs in Failsafe, after the whole module's tests ({@code ./mvnw verify}), on the description
 * the same run's {@link OpenApiDescriptionTest} read from the server: no second API is started.
 */
class DocumentedStatusCodesIT {

  /** An unexpected failure is never promised; a test that provokes one is checked by its own assertions. */
  static final Set<String> NEVER_DOCUMENTED = Set.of("500");

  record Template(String method, String path, Pattern pattern, int literals, String operationId, Set<String> codes) {}

  @Test
  void everyStatusSeenIsDocumentedAndEverySuccessDocumentedIsSeen() throws IOException {
    String filter = System.getProperty("patchloop.test.surefire-filter", "");
    Assumptions.assumeTrue(filter.isBlank() || filter.startsWith("${"),
        () -> "the module's tests ran narrowed (-Dtest=" + filter + "); the check needs all of them");
    Path file = Path.of(StatusCodeRecorder.FILE);
    assertThat(file).as("the api module's tests write it (Surefire, before this check); run ./mvnw verify").exists();
    assertThat(OpenApiDescriptionTest.COPY).as("OpenApiDescriptionTest saves it in the same Surefire run").exists();
    JsonNode docs = new ObjectMapper().readTree(OpenApiDescriptionTest.COPY.toFile());
    List<Template> templates = templates(docs);

    Map<String, Set<String>> seen = new TreeMap<>();
    Set<String> outside = new TreeSet<>();
    for (String line : Files.readAllLines(file)) {
      String[] parts = line.split(" ");
      Template t = match(templates, parts[0], parts[1]);
      if (t == null) {
        outside.add(parts[0] + " " + parts[1] + " " + parts[2]);
        continue;
      }
      seen.computeIfAbsent(t.operationId(), k -> new TreeSet<>()).add(parts[2]);
    }

    List<String> undocumented = new ArrayList<>();
    List<String> unseenSuccess = new ArrayList<>();
    List<String> untested = new ArrayList<>();
    for (Template t : templates) {
      Set<String> got = seen.getOrDefault(t.operationId(), Set.of());
      if (got.isEmpty()) {
        untested.add(t.operationId() + " (" + t.method() + " " + t.path() + ")");
      }
      for (String code : got) {
        if (!t.codes().contains(code) && !NEVER_DOCUMENTED.contains(code)) {
          undocumented.add(t.operationId() + " answered " + code + " but documents " + t.codes());
        }
      }
      for (String code : t.codes()) {
        if (code.startsWith("2") && !got.isEmpty() && !got.contains(code)) {
          unseenSuccess.add(t.operationId() + " documents " + code + " but answered only " + got);
        }
      }
    }
    System.out.println("status codes seen per operation: " + seen);
    System.out.println("answers outside any documented operation (unknown paths, wrong methods): " + outside);
    assertThat(undocumented).as("answers the description does not document").isEmpty();
    assertThat(unseenSuccess).as("success answers documented but never seen").isEmpty();
    assertThat(untested).as("operations no test of the api module called").isEmpty();
  }

  static List<Template> templates(JsonNode docs) {
    List<Template> templates = new ArrayList<>();
    docs.get("paths").properties().forEach(path -> path.getValue().properties().forEach(op -> {
      String regex = "\\Q" + path.getKey().replaceAll("\\{[^/]+}", "\\\\E[^/]+\\\\Q") + "\\E";
      int literals = path.getKey().replaceAll("\\{[^/]+}", "").length();
      Set<String> codes = new TreeSet<>();
      op.getValue().get("responses").fieldNames().forEachRemaining(codes::add);
      templates.add(new Template(op.getKey().toUpperCase(), path.getKey(), Pattern.compile(regex), literals,
          op.getValue().get("operationId").asText(), codes));
    }));
    // /api/v1/hosts/import before /api/v1/hosts/{id}
    templates.sort(Comparator.comparingInt(Template::literals).reversed());
    return templates;
  }

  static Template match(List<Template> templates, String method, String uri) {
    for (Template t : templates) {
      if (t.method().equals(method) && t.pattern().matcher(uri).matches()) {
        return t;
      }
    }
    return null;
  }
}
