package io.patchloop.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.patchloop.api.ApiApplication;
import io.patchloop.api.ApiTestProperties;
import io.patchloop.baselines.ApprovalRule;
import io.patchloop.baselines.BaselineSpec;
import io.patchloop.baselines.BaselineStore;
import io.patchloop.baselines.ComplianceLevel;
import io.patchloop.common.OsFamily;
import io.patchloop.testing.http.ApiClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.util.HtmlUtils;

/**
 * The Baselines pages over real HTTP against a real MariaDB: the list with each OS's default
 * marked, filtered and paged; the editor (create, edit, add and remove rule rows) going through
 * the same checks as {@code POST /api/v1/baselines}, with bad input shown beside its field and
 * nothing saved; make-default and delete with its confirm step; and viewers and operators, who
 * see the read-only pages but whose POSTs are refused.
 */
@SpringBootTest(classes = ApiApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class BaselinePagesTest {

  static final String ADMIN = ApiTestProperties.ADMIN;
  static final String OPERATOR = ApiTestProperties.OPERATOR;
  static final String VIEWER = ApiTestProperties.VIEWER;

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    ApiTestProperties.register(registry, "consolebaselines", ApiTestProperties.EVERY_ROLE);
  }

  @LocalServerPort int port;
  @Autowired BaselineStore store;
  ApiClient api;

  @BeforeEach
  void client() {
    api = new ApiClient("http://127.0.0.1:" + port, ADMIN);
  }

  @Test
  void anAdminCreatesABaselineWithTwoRulesAndBothPatchLists() {
    ConsoleHttpClient admin = ConsoleHttpClient.signedIn(port, ADMIN);
    var blank = admin.get("/console/baselines/new");
    assertThat(blank.statusCode()).isEqualTo(200);
    assertThat(blank.body()).contains("id=\"rule-0\"").doesNotContain("id=\"rule-1\"");

    var sent = admin.post("/console/baselines", form(admin.csrf("/console/baselines/new"),
        "name", "hce-critical", "description", "security first", "os", "HCE", "scenario", "CCE",
        "rules[0].products", "HCE 2.0, HCE 2.1", "rules[0].categories", "SECURITY",
        "rules[0].severities", "CRITICAL", "rules[0].severities", "IMPORTANT",
        "rules[0].approveAfterDays", "0", "rules[0].approveUntilDate", "", "rules[0].complianceLevel", "CRITICAL",
        "rules[1].products", "", "rules[1].approveAfterDays", "", "rules[1].approveUntilDate", "2026-01-31",
        "rules[1].complianceLevel", "LOW",
        "approvedPatches", "HCE2-SA-2026-0001\nHCE2-SA-2026-0002", "approvedPatchesComplianceLevel", "HIGH",
        "rejectedPatches", "telnet*\r\nkernel-debug*", "rejectedPatchesAction", "BLOCK"));
    assertThat(sent.statusCode()).as(sent.body()).isEqualTo(302);
    String location = sent.headers().firstValue("Location").orElseThrow();
    assertThat(location).matches(".*/console/baselines/\\d+");
    long id = Long.parseLong(location.substring(location.lastIndexOf('/') + 1));

    JsonNode b = api.get("/api/v1/baselines/" + id).json();
    assertThat(b.get("name").asText()).isEqualTo("hce-critical");
    assertThat(b.get("description").asText()).isEqualTo("security first");
    assertThat(b.get("scenario").asText()).isEqualTo("CCE");
    assertThat(b.get("defaultForOs").asBoolean()).as("HCE has its built-in default").isFalse();
    JsonNode first = b.get("rules").get(0);
    assertThat(texts(first.get("products"))).containsExactly("HCE 2.0", "HCE 2.1");
    assertThat(texts(first.get("categories"))).containsExactly("SECURITY");
    assertThat(texts(first.get("severities"))).containsExactly("CRITICAL", "IMPORTANT");
    assertThat(first.get("approveAfterDays").asInt()).isZero();
    assertThat(first.get("complianceLevel").asText()).isEqualTo("CRITICAL");
    JsonNode second = b.get("rules").get(1);
    assertThat(texts(second.get("products"))).containsExactly("ALL");
    assertThat(texts(second.get("categories"))).as("no box ticked: all").containsExactly("ALL");
    assertThat(second.get("approveAfterDays").isNull()).isTrue();
    assertThat(second.get("approveUntilDate").asText()).isEqualTo("2026-01-31");
    assertThat(texts(b.get("approvedPatches"))).containsExactly("HCE2-SA-2026-0001", "HCE2-SA-2026-0002");
    assertThat(b.get("approvedPatchesComplianceLevel").asText()).isEqualTo("HIGH");
    assertThat(texts(b.get("rejectedPatches"))).containsExactly("kernel-debug*", "telnet*");
    assertThat(b.get("rejectedPatchesAction").asText()).isEqualTo("BLOCK");

    var details = admin.get(location.substring(location.indexOf("/console")));
    assertThat(details.statusCode()).isEqualTo(200);
    assertThat(details.body()).contains("Baseline &#39;hce-critical&#39; created.").contains("HCE 2.0, HCE 2.1")
        .contains("0 days after release").contains("if released on or before 2026-01-31")
        .contains("Block: never installed").contains("telnet*").contains("id=\"edit-baseline\"")
        .contains("id=\"make-default\"").contains("id=\"delete-baseline\"");
  }

  @Test
  void badInputShowsTheFormAgainWithEachFieldsProblemAndCreatesNothing() {
    int before = api.get("/api/v1/baselines").json().size();
    ConsoleHttpClient admin = ConsoleHttpClient.signedIn(port, ADMIN);
    var sent = admin.post("/console/baselines", form(admin.csrf("/console/baselines/new"),
        "name", "bad/name", "os", "", "description", "kept as typed",
        "rules[0].products", "HCE 2.0, ??", "rules[0].categories", "SECURITY",
        "rules[0].approveAfterDays", "400", "rules[0].approveUntilDate", "2026-01-31", "rules[0].complianceLevel", "",
        "rules[1].products", "", "rules[1].approveAfterDays", "soon", "rules[1].approveUntilDate", "",
        "rules[1].complianceLevel", "HIGH",
        "approvedPatches", "HCE2-SA-2026-0001\nbad/id, HCE2-SA-2026-0002\n$$$", "rejectedPatches", "telnet*"));
    assertThat(sent.statusCode()).isEqualTo(200);
    String page = HtmlUtils.htmlUnescape(sent.body());
    assertThat(page).contains("id=\"form-problems\"").contains("Invalid baseline: nothing was saved.")
        .doesNotContain("Exception");
    assertThat(problem(page, "name")).contains("must be 1-128 letters");
    assertThat(problem(page, "os")).isEqualTo("is required");
    assertThat(problem(page, "rules-0-products")).contains("'??' is not a product name");
    assertThat(problem(page, "rules-0-approveAfterDays")).contains("give exactly one of approveAfterDays");
    assertThat(problem(page, "rules-0-complianceLevel")).isEqualTo("is required");
    assertThat(problem(page, "rules-1-approveAfterDays")).as("unreadable, reported with the spec's problems")
        .isEqualTo("must be a whole number of days (0-360)");
    // one entry a line or between commas; each bad one named beside the list
    assertThat(problem(page, "approvedPatches"))
        .isEqualTo("'bad/id' is not an advisory id; '$$$' is not an advisory id");
    assertThat(page).as("what was typed stays in the form").contains("value=\"HCE 2.0, ??\"")
        .contains("value=\"bad/name\"").contains("kept as typed").contains("value=\"soon\"").contains("value=\"2026-01-31\"")
        .contains("id=\"rule-1\"");
    assertThat(api.get("/api/v1/baselines").json().size()).as("nothing was created").isEqualTo(before);

    // a clash the store finds: the name is taken
    var taken = admin.post("/console/baselines", form(admin.csrf("/console/baselines/new"),
        "name", "HCE-default", "os", "HCE", "rules[0].approveAfterDays", "7", "rules[0].complianceLevel", "LOW"));
    assertThat(taken.statusCode()).isEqualTo(200);
    assertThat(problem(HtmlUtils.htmlUnescape(taken.body()), "name")).contains("already exists");
    assertThat(api.get("/api/v1/baselines").json().size()).isEqualTo(before);
  }

  @Test
  void addAndRemoveRuleRowsWithoutSaving() {
    int before = api.get("/api/v1/baselines").json().size();
    ConsoleHttpClient admin = ConsoleHttpClient.signedIn(port, ADMIN);
    String csrf = admin.csrf("/console/baselines/new");
    var added = admin.post("/console/baselines", form(csrf, "name", "rows", "os", "CENTOS",
        "rules[0].products", "CentOS 7", "rules[0].approveAfterDays", "3", "rules[0].complianceLevel", "HIGH",
        "addRule", "true"));
    assertThat(added.statusCode()).isEqualTo(200);
    assertThat(added.body()).contains("id=\"rule-0\"").contains("id=\"rule-1\"").doesNotContain("id=\"rule-2\"")
        .contains("value=\"CentOS 7\"").doesNotContain("form-problems");

    var removed = admin.post("/console/baselines", form(csrf, "name", "rows", "os", "CENTOS",
        "rules[0].products", "CentOS 7", "rules[0].approveAfterDays", "3", "rules[0].complianceLevel", "HIGH",
        "rules[1].products", "CentOS 8", "rules[1].approveAfterDays", "9", "rules[1].complianceLevel", "LOW",
        "removeRule", "0"));
    assertThat(removed.body()).contains("id=\"rule-0\"").doesNotContain("id=\"rule-1\"")
        .contains("value=\"CentOS 8\"").doesNotContain("value=\"CentOS 7\"");
    assertThat(api.get("/api/v1/baselines").json().size()).as("neither saved anything").isEqualTo(before);
  }

  @Test
  void anAdminEditsABaselineFromItsPrefilledForm() {
    long id = create("edit-me", OsFamily.EULEROS, false);
    ConsoleHttpClient admin = ConsoleHttpClient.signedIn(port, ADMIN);
    var edit = admin.get("/console/baselines/" + id + "/edit");
    assertThat(edit.statusCode()).isEqualTo(200);
    assertThat(edit.body()).contains("value=\"edit-me\"").contains("value=\"EulerOS 2.0\"")
        .contains("id=\"rule-0-category-SECURITY\" name=\"rules[0].categories\" value=\"SECURITY\" checked");

    var saved = admin.post("/console/baselines/" + id, form(admin.csrf("/console/baselines/" + id + "/edit"),
        "name", "edited", "os", "EULEROS", "scenario", "ECS",
        "rules[0].products", "EulerOS 2.0", "rules[0].categories", "BUGFIX", "rules[0].approveAfterDays", "14",
        "rules[0].complianceLevel", "MEDIUM", "rejectedPatches", "HCE2-SA-2026-0107", "rejectedPatchesAction",
        "ALLOW_AS_DEPENDENCY"));
    assertThat(saved.statusCode()).as(saved.body()).isEqualTo(302);
    assertThat(saved.headers().firstValue("Location").orElseThrow()).endsWith("/console/baselines/" + id);
    JsonNode b = api.get("/api/v1/baselines/" + id).json();
    assertThat(b.get("name").asText()).isEqualTo("edited");
    assertThat(texts(b.get("rules").get(0).get("categories"))).containsExactly("BUGFIX");
    assertThat(b.get("rules").get(0).get("approveAfterDays").asInt()).isEqualTo(14);
    assertThat(texts(b.get("rejectedPatches"))).containsExactly("HCE2-SA-2026-0107");

    // an edit with a bad value changes nothing
    var bad = admin.post("/console/baselines/" + id, form(admin.csrf("/console/baselines/" + id + "/edit"),
        "name", "edited again", "os", "EULEROS", "rules[0].approveAfterDays", "-1", "rules[0].complianceLevel", "LOW"));
    assertThat(bad.statusCode()).isEqualTo(200);
    assertThat(problem(HtmlUtils.htmlUnescape(bad.body()), "rules-0-approveAfterDays")).isEqualTo("must be between 0 and 360");
    assertThat(api.get("/api/v1/baselines/" + id).json().get("name").asText()).isEqualTo("edited");
  }

  @Test
  void theListMarksEachOsDefaultAndMakeDefaultMovesTheMark() {
    long id = create("hce-next-default", OsFamily.HCE, false);
    ConsoleHttpClient admin = ConsoleHttpClient.signedIn(port, ADMIN);
    String list = admin.get("/console/baselines?os=HCE").body();
    assertThat(defaults(list)).containsExactly(currentDefault(OsFamily.HCE));
    assertThat(list).contains("data-os-group=\"HCE\"").doesNotContain("data-os-group=\"CENTOS\"")
        .contains("data-baseline=\"hce-next-default\"");
    String all = admin.get("/console/baselines").body();
    assertThat(defaults(all)).as("one mark per OS that has baselines")
        .contains(currentDefault(OsFamily.HCE), currentDefault(OsFamily.CENTOS), currentDefault(OsFamily.EULEROS))
        .doesNotHaveDuplicates();

    var made = admin.post("/console/baselines/" + id + "/default", Map.of("_csrf", admin.csrf("/console/baselines/" + id)));
    assertThat(made.statusCode()).isEqualTo(302);
    assertThat(api.get("/api/v1/baselines/" + id).json().get("defaultForOs").asBoolean()).isTrue();
    assertThat(defaults(admin.get("/console/baselines?os=HCE").body())).containsExactly("hce-next-default");
    String page = admin.get("/console/baselines/" + id).body();
    assertThat(page).contains("is now the default baseline for HCE").contains("id=\"default-hint\"")
        .doesNotContain("id=\"make-default\"").doesNotContain("id=\"delete-baseline\"");

    // unticking "default" on the default is the store's conflict, shown beside the box
    var unset = admin.post("/console/baselines/" + id, form(admin.csrf("/console/baselines/" + id + "/edit"),
        "name", "hce-next-default", "os", "HCE", "rules[0].approveAfterDays", "1", "rules[0].complianceLevel", "LOW"));
    assertThat(unset.statusCode()).isEqualTo(200);
    assertThat(problem(HtmlUtils.htmlUnescape(unset.body()), "defaultForOs"))
        .contains("make another HCE baseline the default first");

    // give the built-in its flag back, so the other tests see the seed's defaults
    long builtIn = api.get("/api/v1/baselines?os=HCE").json().findParents("name").stream()
        .filter(b -> b.get("name").asText().equals("HCE-default")).findFirst().orElseThrow().get("id").asLong();
    admin.post("/console/baselines/" + builtIn + "/default", Map.of("_csrf", admin.csrf("/console/baselines")));
    assertThat(currentDefault(OsFamily.HCE)).isEqualTo("HCE-default");
  }

  @Test
  void theListIsPagedFiftyAPage() {
    // fifty of ours and the built-in openEuler-default, last by name
    for (int i = 0; i < 50; i++) {
      create(String.format("oe-%02d", i), OsFamily.OPENEULER, false);
    }
    ConsoleHttpClient viewer = ConsoleHttpClient.signedIn(port, VIEWER);
    String first = viewer.get("/console/baselines?os=OPENEULER").body();
    assertThat(count(first, "data-baseline=\"")).isEqualTo(50);
    assertThat(first).contains("1–50 of 51").contains("rel=\"next\"");
    String second = viewer.get("/console/baselines?os=OPENEULER&page=1").body();
    assertThat(count(second, "data-baseline=\"")).isEqualTo(1);
    assertThat(second).contains("data-baseline=\"openEuler-default\"").contains("51–51 of 51").contains("rel=\"prev\"");
    assertThat(viewer.get("/console/baselines?page=-1").statusCode()).isEqualTo(400);
    assertThat(viewer.get("/console/baselines?os=SOLARIS").statusCode()).isEqualTo(400);
  }

  @Test
  void deleteAsksFirstAndTheDefaultCannotBeDeleted() {
    long id = create("delete-me", OsFamily.CENTOS, false);
    ConsoleHttpClient admin = ConsoleHttpClient.signedIn(port, ADMIN);
    var confirm = admin.get("/console/baselines/" + id + "/delete");
    assertThat(confirm.statusCode()).isEqualTo(200);
    assertThat(confirm.body()).contains("id=\"confirm-delete\"");
    assertThat(api.get("/api/v1/baselines/" + id).status()).as("asking deletes nothing").isEqualTo(200);
    var deleted = admin.post("/console/baselines/" + id + "/delete",
        Map.of("_csrf", admin.csrf("/console/baselines/" + id + "/delete")));
    assertThat(deleted.statusCode()).isEqualTo(302);
    assertThat(deleted.headers().firstValue("Location").orElseThrow()).endsWith("/console/baselines");
    assertThat(api.get("/api/v1/baselines/" + id).status()).isEqualTo(404);
    assertThat(HtmlUtils.htmlUnescape(admin.get("/console/baselines").body())).contains("Baseline 'delete-me' deleted.");
    assertThat(admin.get("/console/baselines/" + id).statusCode()).isEqualTo(404);

    long defaultId = api.get("/api/v1/baselines?os=CENTOS").json().findParents("defaultForOs").stream()
        .filter(b -> b.get("defaultForOs").asBoolean()).findFirst().orElseThrow().get("id").asLong();
    assertThat(admin.get("/console/baselines/" + defaultId + "/delete").body()).contains("id=\"delete-refused\"")
        .doesNotContain("id=\"confirm-delete\"");
    var refused = admin.post("/console/baselines/" + defaultId + "/delete", Map.of("_csrf", admin.csrf("/console/baselines")));
    assertThat(refused.statusCode()).isEqualTo(302);
    assertThat(HtmlUtils.htmlUnescape(admin.get("/console/baselines/" + defaultId).body()))
        .contains("make another CENTOS baseline the default before deleting it");
    assertThat(api.get("/api/v1/baselines/" + defaultId).status()).isEqualTo(200);
  }

  @Test
  void viewersAndOperatorsReadButTheirPostsAreRefused() {
    long id = create("read-only", OsFamily.HCE, false);
    String before = api.get("/api/v1/baselines").body();
    for (String token : List.of(VIEWER, OPERATOR)) {
      ConsoleHttpClient reader = ConsoleHttpClient.signedIn(port, token);
      var list = reader.get("/console/baselines");
      assertThat(list.statusCode()).isEqualTo(200);
      assertThat(list.body()).contains("data-baseline=\"read-only\"").doesNotContain("id=\"new-baseline\"");
      var details = reader.get("/console/baselines/" + id);
      assertThat(details.statusCode()).isEqualTo(200);
      assertThat(details.body()).contains("id=\"rules\"").doesNotContain("id=\"edit-baseline\"")
          .doesNotContain("id=\"make-default\"").doesNotContain("id=\"delete-baseline\"");
      for (String editor : List.of("/console/baselines/new", "/console/baselines/" + id + "/edit",
          "/console/baselines/" + id + "/delete")) {
        var refused = reader.get(editor);
        assertThat(refused.statusCode()).as(token + " GET " + editor).isEqualTo(403);
        assertThat(refused.body()).contains("Your role may not GET " + editor);
      }
      String csrf = reader.csrf("/console/baselines");
      Map<String, List<Map.Entry<String, String>>> forms = Map.of(
          "/console/baselines", form(csrf, "name", "forged", "os", "HCE"),
          "/console/baselines/" + id, form(csrf, "name", "forged", "os", "HCE"),
          "/console/baselines/" + id + "/default", form(csrf),
          "/console/baselines/" + id + "/delete", form(csrf));
      forms.forEach((path, body) -> {
        var forged = reader.post(path, body);
        assertThat(forged.statusCode()).as(token + " POST " + path).isEqualTo(403);
        assertThat(forged.body()).contains("Your role may not POST " + path);
      });
    }
    assertThat(api.get("/api/v1/baselines").body()).as("nothing changed").isEqualTo(before);
  }

  // ---- helpers

  long create(String name, OsFamily os, boolean makeDefault) {
    String product = switch (os) {
      case HCE -> "HCE 2.0";
      case CENTOS -> "CentOS 7";
      case EULEROS -> "EulerOS 2.0";
      case OPENEULER -> "openEuler 22.03";
    };
    return store.create(new BaselineSpec(name, null, null, os, List.of(new ApprovalRule(List.of(product),
        List.of("SECURITY"), List.of("ALL"), 7, null, ComplianceLevel.HIGH)), null, null, null, null, makeDefault)).id();
  }

  String currentDefault(OsFamily os) {
    return store.defaultFor(os).orElseThrow().name();
  }

  /** The names of the rows marked as their OS's default. */
  static List<String> defaults(String page) {
    Matcher m = Pattern.compile("data-baseline=\"([^\"]+)\"[^>]*>(?:(?!</tr>).)*default-mark", Pattern.DOTALL).matcher(page);
    List<String> names = new ArrayList<>();
    while (m.find()) {
      names.add(m.group(1));
    }
    return names;
  }

  /** The problem shown beside a field (its span's id is problem-FIELD). */
  static String problem(String page, String field) {
    Matcher m = Pattern.compile("id=\"problem-" + Pattern.quote(field) + "\">([^<]*)<").matcher(page);
    assertThat(m.find()).as("a problem shown beside " + field).isTrue();
    return m.group(1);
  }

  static int count(String page, String what) {
    return page.split(Pattern.quote(what), -1).length - 1;
  }

  static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  /** A form body as name/value pairs in order; a name may repeat (ticked boxes). */
  static List<Map.Entry<String, String>> form(String csrf, String... pairs) {
    List<Map.Entry<String, String>> out = new ArrayList<>(List.of(Map.entry("_csrf", csrf)));
    for (int i = 0; i < pairs.length; i += 2) {
      out.add(Map.entry(pairs[i], pairs[i + 1]));
    }
    return out;
  }
}
