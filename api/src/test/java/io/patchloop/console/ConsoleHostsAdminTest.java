package io.patchloop.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.patchloop.api.ApiApplication;
import io.patchloop.api.ApiTestProperties;
import io.patchloop.baselines.Baseline;
import io.patchloop.baselines.BaselineStore;
import io.patchloop.baselines.PatchCategory;
import io.patchloop.baselines.PatchSeverity;
import io.patchloop.compliance.ComplianceEngine;
import io.patchloop.inventory.Advisory;
import io.patchloop.inventory.AdvisoryPackage;
import io.patchloop.inventory.HostInventory;
import io.patchloop.inventory.InstalledPackage;
import io.patchloop.reports.ReportStore;
import io.patchloop.rpm.Evr;
import io.patchloop.testing.http.ApiClient;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
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
 * The console's hosts administration, credentials and host report counts over real HTTP against a
 * real MariaDB: add, edit and delete a host (with its confirm step), a refused form that names each
 * field and changes nothing, the CSV import (the API's problems, line by line, all or nothing),
 * credentials whose key and passphrase never come back, the roles that may not do any of it, and
 * the report's counts by level and its level filter.
 */
@SpringBootTest(classes = ApiApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ConsoleHostsAdminTest {

  static final String ADMIN = ApiTestProperties.ADMIN;
  static final String OPERATOR = ApiTestProperties.OPERATOR;
  static final String VIEWER = ApiTestProperties.VIEWER;
  static final Pattern PROBLEM = Pattern.compile("<li[^>]*><strong>([^<]*)</strong>: <span>([^<]*)</span></li>");
  /** A made-up key body: the form only checks the PEM armour, and the test looks for this text on every page. */
  static final String KEY_BODY = "c2VjcmV0LWtleS1tYXRlcmlhbC1uZXZlci1zaG93bi0wMTIzNDU2Nzg5";
  static final String PRIVATE_KEY = "-----BEGIN OPENSSH PRIVATE KEY-----\n" + KEY_BODY + "\n-----END OPENSSH PRIVATE KEY-----\n";
  static final String PASSPHRASE = "correct-horse-battery-staple-42";

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    ApiTestProperties.register(registry, "consolehosts", ApiTestProperties.EVERY_ROLE);
  }

  @LocalServerPort int port;
  @Autowired ReportStore reports;
  @Autowired BaselineStore baselines;
  ApiClient api;

  @BeforeEach
  void client() {
    api = new ApiClient("http://127.0.0.1:" + port, ADMIN);
  }

  static Map.Entry<String, byte[]> file(String name, String content) {
    return Map.entry(name, content.getBytes(StandardCharsets.UTF_8));
  }

  /** Each problem a page lists, as "field: reason". */
  static Set<String> problems(String html) {
    Set<String> found = new TreeSet<>();
    Matcher m = PROBLEM.matcher(html);
    while (m.find()) {
      found.add(HtmlUtils.htmlUnescape(m.group(1)) + ": " + HtmlUtils.htmlUnescape(m.group(2)));
    }
    return found;
  }

  /** The text of the element with this id (its first text run), unescaped. */
  static String textOf(String html, String id) {
    Matcher m = Pattern.compile("id=\"" + Pattern.quote(id) + "\"[^>]*>(?:\\s*<[^/][^>]*>)*([^<]*)<").matcher(html);
    assertThat(m.find()).as("an element #" + id).isTrue();
    return HtmlUtils.htmlUnescape(m.group(1)).strip();
  }

  int hostTotal() {
    return api.get("/api/v1/hosts?size=500").json().get("total").asInt();
  }

  JsonNode hostNamed(String name) {
    for (JsonNode h : api.get("/api/v1/hosts?size=500").json().get("items")) {
      if (h.get("name").asText().equals(name)) {
        return h;
      }
    }
    return null;
  }

  long createHost(String name) {
    var created = api.post("/api/v1/hosts", ApiClient.json(Map.of("name", name, "address", "127.0.0.1",
        "port", 2201, "keyPath", "/keys/lab", "osFamily", "HCE")));
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    return created.json().get("id").asLong();
  }

  @Test
  void anAdminAddsEditsAndDeletesAHost() {
    ConsoleHttpClient admin = ConsoleHttpClient.signedIn(port, ADMIN);
    String list = admin.get("/console/hosts").body();
    assertThat(list).contains("id=\"add-host\"").contains("id=\"import-hosts\"");
    assertThat(admin.get("/console/hosts/new").statusCode()).isEqualTo(200);

    var added = admin.postWithCsrf("/console/hosts", Map.of("name", "web-a", "address", "10.0.0.21", "port", "2222",
        "username", "patch", "access", "SSH", "keyPath", "/keys/lab", "credentialName", "", "osFamily", "CENTOS",
        "scenario", "BMS", "tags", "zone=az1, app=shop"), "/console/hosts/new");
    JsonNode host = hostNamed("web-a");
    assertThat(host).as("the host is in the API").isNotNull();
    long id = host.get("id").asLong();
    assertThat(added.headers().firstValue("Location").orElseThrow()).endsWith("/console/hosts/" + id);
    assertThat(host.get("port").asInt()).isEqualTo(2222);
    assertThat(host.get("username").asText()).isEqualTo("patch");
    assertThat(host.get("osFamily").asText()).isEqualTo("CENTOS");
    assertThat(host.get("scenario").asText()).isEqualTo("BMS");
    assertThat(host.get("keyPath").asText()).isEqualTo("/keys/lab");
    assertThat(host.get("tags").get("zone").asText()).isEqualTo("az1");
    assertThat(host.get("tags").get("app").asText()).isEqualTo("shop");
    String report = admin.follow(added).body();
    assertThat(textOf(report, "notice")).isEqualTo("Host web-a added.");
    assertThat(report).contains("id=\"edit-host\"").contains("id=\"delete-host\"");

    String edit = admin.get("/console/hosts/" + id + "/edit").body();
    assertThat(edit).as("the form shows the host as it is").contains("value=\"web-a\"").contains("value=\"2222\"")
        .contains("value=\"app=shop, zone=az1\"").contains("value=\"/keys/lab\"");
    var saved = admin.postWithCsrf("/console/hosts/" + id, Map.of("name", "web-a2", "address", "10.0.0.22",
        "port", "22", "username", "root", "access", "SSH", "keyPath", "/keys/other", "credentialName", "",
        "osFamily", "HCE", "scenario", "ECS", "tags", "zone=az2"), "/console/hosts/" + id + "/edit");
    assertThat(saved.headers().firstValue("Location").orElseThrow()).endsWith("/console/hosts/" + id);
    JsonNode after = api.get("/api/v1/hosts/" + id).json();
    assertThat(after.get("name").asText()).isEqualTo("web-a2");
    assertThat(after.get("address").asText()).isEqualTo("10.0.0.22");
    assertThat(after.get("osFamily").asText()).isEqualTo("HCE");
    assertThat(after.get("keyPath").asText()).isEqualTo("/keys/other");
    assertThat(after.get("tags").size()).as("the tags are replaced").isEqualTo(1);
    assertThat(after.get("tags").get("zone").asText()).isEqualTo("az2");

    // delete: first a page that asks, and nothing is gone yet
    var asked = admin.postWithCsrf("/console/hosts/" + id + "/delete", Map.of(), "/console/hosts/" + id);
    assertThat(asked.statusCode()).isEqualTo(200);
    assertThat(asked.body()).contains("id=\"confirm-delete\"").contains("web-a2");
    assertThat(api.get("/api/v1/hosts/" + id).status()).isEqualTo(200);
    var deleted = admin.postWithCsrf("/console/hosts/" + id + "/delete", Map.of("confirmed", "true"), "/console/hosts/" + id);
    assertThat(deleted.headers().firstValue("Location").orElseThrow()).endsWith("/console/hosts");
    assertThat(api.get("/api/v1/hosts/" + id).status()).isEqualTo(404);
    assertThat(textOf(admin.follow(deleted).body(), "notice")).isEqualTo("Host web-a2 deleted.");
    assertThat(admin.get("/console/hosts/" + id + "/edit").statusCode()).isEqualTo(404);
  }

  @Test
  void aRefusedHostFormNamesEachFieldsProblemAndChangesNothing() {
    ConsoleHttpClient admin = ConsoleHttpClient.signedIn(port, ADMIN);
    long existing = createHost("web-taken");
    int before = hostTotal();

    var bad = admin.postWithCsrf("/console/hosts", Map.of("name", "web 1", "address", "$(reboot)", "port", "70000",
        "username", "Root!", "access", "SSH", "keyPath", "", "credentialName", "", "osFamily", "HCE",
        "scenario", "ECS", "tags", "zone=az 1"), "/console/hosts/new");
    assertThat(bad.statusCode()).isEqualTo(200);
    assertThat(bad.body()).contains("id=\"form-problems\"").doesNotContain("Exception");
    assertThat(textOf(bad.body(), "name-problem")).startsWith("must be 1-128 letters");
    assertThat(textOf(bad.body(), "address-problem")).isEqualTo("must be a DNS name, an IPv4 or an IPv6 address");
    assertThat(textOf(bad.body(), "port-problem")).isEqualTo("must be between 1 and 65535");
    assertThat(textOf(bad.body(), "username-problem")).startsWith("must be a POSIX user name");
    assertThat(textOf(bad.body(), "keyPath-problem")).startsWith("give exactly one of keyPath");
    assertThat(textOf(bad.body(), "tags-problem")).isEqualTo("tags.zone: must be 1-128 letters, digits or ._:/@+=-");
    assertThat(bad.body()).as("the form keeps what was typed").contains("value=\"web 1\"").contains("value=\"$(reboot)\"");
    // the same problems as the API gives for the same host
    var apiAnswer = api.post("/api/v1/hosts", ApiClient.json(Map.of("name", "web 1", "address", "$(reboot)",
        "port", 70000, "username", "Root!", "osFamily", "HCE", "tags", Map.of("zone", "az 1"))));
    Set<String> apiProblems = new TreeSet<>();
    apiAnswer.json().get("errors").forEach(e -> apiProblems.add(e.get("field").asText() + ": " + e.get("reason").asText()));
    assertThat(problems(bad.body())).isEqualTo(apiProblems);

    // text that is not even a number or a known value: its field's problem, not an error page
    var unreadable = admin.postWithCsrf("/console/hosts", Map.of("name", "web-b", "address", "10.0.0.5", "port", "ssh",
        "access", "TELNET", "keyPath", "/keys/lab", "osFamily", "SOLARIS", "tags", "zone"), "/console/hosts/new");
    assertThat(unreadable.statusCode()).isEqualTo(200);
    assertThat(textOf(unreadable.body(), "port-problem")).isEqualTo("must be a number between 1 and 65535");
    assertThat(textOf(unreadable.body(), "access-problem")).isEqualTo("must be one of [SSH, AGENT]");
    assertThat(textOf(unreadable.body(), "osFamily-problem")).startsWith("must be one of [HCE, CENTOS");
    assertThat(textOf(unreadable.body(), "tags-problem")).startsWith("must be key=value pairs");

    var noSuchCredential = admin.postWithCsrf("/console/hosts", Map.of("name", "web-c", "address", "10.0.0.6",
        "port", "22", "access", "SSH", "credentialName", "nobody-key", "osFamily", "HCE"), "/console/hosts/new");
    assertThat(textOf(noSuchCredential.body(), "credentialName-problem")).isEqualTo("no stored credential is named 'nobody-key'");

    var duplicate = admin.postWithCsrf("/console/hosts", Map.of("name", "web-taken", "address", "10.0.0.7",
        "port", "22", "access", "SSH", "keyPath", "/keys/lab", "osFamily", "HCE"), "/console/hosts/new");
    assertThat(duplicate.statusCode()).isEqualTo(200);
    assertThat(textOf(duplicate.body(), "name-problem")).contains("already exists");
    assertThat(hostTotal()).as("no refused form added a host").isEqualTo(before);

    // an edit that is refused leaves the host as it was
    long other = createHost("web-other");
    var refusedEdit = admin.postWithCsrf("/console/hosts/" + other, Map.of("name", "web-taken", "address", "10.9.9.9",
        "port", "22", "access", "SSH", "keyPath", "/keys/lab", "osFamily", "HCE"), "/console/hosts/" + other + "/edit");
    assertThat(refusedEdit.statusCode()).isEqualTo(200);
    assertThat(textOf(refusedEdit.body(), "name-problem")).contains("already exists");
    JsonNode unchanged = api.get("/api/v1/hosts/" + other).json();
    assertThat(unchanged.get("name").asText()).isEqualTo("web-other");
    assertThat(unchanged.get("address").asText()).isEqualTo("127.0.0.1");
    assertThat(api.get("/api/v1/hosts/" + existing).json().get("address").asText()).isEqualTo("127.0.0.1");
  }

  @Test
  void aCsvImportIsTheApisAllOrNothingWithEveryBadLineNamed() {
    ConsoleHttpClient admin = ConsoleHttpClient.signedIn(port, ADMIN);
    assertThat(admin.get("/console/hosts/import").body()).contains("id=\"import-form\"");
    createHost("csv-existing");
    int before = hostTotal();

    // a spreadsheet's UTF-8 export, with its byte order mark
    String good = "\uFEFFname,address,port,keyPath,osFamily,scenario,tags\r\n"
        + "csv-1,10.1.0.1,22,/keys/lab,CENTOS,ECS,zone=az1;app=shop\r\n"
        + "\"csv-2\",10.1.0.2,2202,/keys/lab,EULEROS,BMS,zone=az2\r\n";
    var imported = admin.multipart("/console/hosts/import", Map.of("csv", ""), Map.of("file", file("fleet.csv", good)),
        "/console/hosts/import");
    assertThat(imported.statusCode()).as(imported.body()).isEqualTo(302);
    assertThat(textOf(admin.follow(imported).body(), "notice")).isEqualTo("Imported 2 host(s): csv-1, csv-2.");
    assertThat(hostTotal()).isEqualTo(before + 2);
    assertThat(hostNamed("csv-2").get("port").asInt()).isEqualTo(2202);
    assertThat(hostNamed("csv-1").get("tags").get("app").asText()).isEqualTo("shop");

    // one good line among bad ones: nothing is imported, and the problems are the API's, line by line
    String bad = "name,address,port,keyPath,osFamily\n"
        + "csv-3,10.1.0.3,22,/keys/lab,HCE\n"
        + "csv-4,10.1.0.4,99999,/keys/lab,HCE\n"
        + "csv-existing,10.1.0.5,22,/keys/lab,HCE\n"
        + "csv-6,10.1.0.6,22,,SOLARIS\n"
        + "csv-7,10.1.0.7\n";
    var refused = admin.multipart("/console/hosts/import", Map.of("csv", ""), Map.of("file", file("fleet.csv", bad)),
        "/console/hosts/import");
    assertThat(refused.statusCode()).isEqualTo(200);
    assertThat(refused.body()).contains("id=\"import-problems\"").contains("no host was imported").doesNotContain("Exception");
    Set<String> shown = problems(refused.body());
    assertThat(shown).contains("line 3.port: must be between 1 and 65535",
        "line 4.name: a host named 'csv-existing' already exists", "line 6.columns: has 2 fields, the header has 5");
    assertThat(shown).anyMatch(p -> p.startsWith("line 5.osFamily: must be one of"));
    assertThat(shown).noneMatch(p -> p.startsWith("line 2."));
    var apiAnswer = api.post("/api/v1/hosts/import", "text/csv", bad);
    assertThat(apiAnswer.status()).isEqualTo(400);
    Set<String> apiProblems = new TreeSet<>();
    apiAnswer.json().get("errors").forEach(e -> apiProblems.add(e.get("field").asText() + ": " + e.get("reason").asText()));
    assertThat(shown).as("the same problems as the API's import").isEqualTo(apiProblems);
    assertThat(hostTotal()).as("all or nothing").isEqualTo(before + 2);
    assertThat(hostNamed("csv-3")).isNull();

    // a wrong header, pasted instead of uploaded: the text stays in the box to be fixed
    var header = admin.multipart("/console/hosts/import", Map.of("csv", "name,address,colour\nx,10.0.0.1,red\n"), Map.of(),
        "/console/hosts/import");
    assertThat(problems(header.body())).contains("line 1.colour: unknown column 'colour'; columns are "
        + "[name, address, port, username, keypath, credentialname, osfamily, scenario, tags, access]",
        "line 1.osfamily: column 'osfamily' is required");
    assertThat(header.body()).contains("x,10.0.0.1,red");

    var nothing = admin.multipart("/console/hosts/import", Map.of("csv", ""), Map.of("file", file("", "")),
        "/console/hosts/import");
    assertThat(problems(nothing.body())).containsExactly("file: choose a CSV file or paste its lines");
    var latin1 = admin.multipart("/console/hosts/import", Map.of(), Map.of("file",
        Map.entry("fleet.csv", "name,address,osFamily\ncaf\u00e9,10.0.0.1,HCE\n".getBytes(StandardCharsets.ISO_8859_1))),
        "/console/hosts/import");
    assertThat(problems(latin1.body())).containsExactly("file: is not UTF-8 text; save the CSV as UTF-8");

    // more rows than the API takes, in a file bigger than a servlet container's default upload limit
    StringBuilder big = new StringBuilder("name,address,port,keyPath,osFamily,scenario,tags\n");
    for (int i = 0; i <= io.patchloop.hosts.HostImport.MAX_ROWS; i++) {
      big.append("bulk-").append(i).append(",10.3.").append(i / 250).append('.').append(i % 250 + 1)
          .append(",22,/etc/patchloop/keys/fleet/id_ed25519,CENTOS,ECS,zone=az1;app=shop;owner=team-platform;rack=r")
          .append(i % 40).append(";cmdb=ci-").append(100000 + i)
          .append(";env=production;tier=frontend;note=imported-from-the-cmdb-export-of-the-platform-team-for-the-quarterly-patch-window\n");
    }
    assertThat(big.length()).as("over 1 MB").isGreaterThan(1 << 20);
    var tooMany = admin.multipart("/console/hosts/import", Map.of(), Map.of("file", file("big.csv", big.toString())),
        "/console/hosts/import");
    assertThat(tooMany.statusCode()).isEqualTo(200);
    assertThat(problems(tooMany.body())).containsExactly("body: at most 5000 hosts per import; split the file");
    assertThat(hostTotal()).isEqualTo(before + 2);

    // pasted lines import like a file
    var pasted = admin.multipart("/console/hosts/import", Map.of("csv", "name,address,osFamily,access\ncsv-agent,10.1.0.9,HCE,AGENT\n"),
        Map.of(), "/console/hosts/import");
    assertThat(pasted.statusCode()).as(pasted.body()).isEqualTo(302);
    assertThat(hostNamed("csv-agent").get("access").asText()).isEqualTo("AGENT");
  }

  @Test
  void credentialsAreStoredAndListedButTheirSecretsNeverComeBack() {
    ConsoleHttpClient admin = ConsoleHttpClient.signedIn(port, ADMIN);
    assertThat(admin.get("/console/credentials").body()).contains("id=\"add-credential\"");
    assertThat(admin.get("/console/credentials/new").statusCode()).isEqualTo(200);

    var stored = admin.multipart("/console/credentials", Map.of("name", "fleet-key", "description", "the lab's key",
        "privateKey", PRIVATE_KEY, "passphrase", PASSPHRASE), Map.of(), "/console/credentials/new");
    assertThat(stored.statusCode()).as(stored.body()).isEqualTo(302);
    String list = admin.follow(stored).body();
    assertThat(textOf(list, "notice")).startsWith("Credential fleet-key stored (OPENSSH)");
    assertThat(list).contains("data-credential=\"fleet-key\"").contains("the lab&#39;s key")
        .doesNotContain(KEY_BODY).doesNotContain(PASSPHRASE);
    JsonNode credential = null;
    for (JsonNode c : api.get("/api/v1/credentials").json()) {
      credential = c.get("name").asText().equals("fleet-key") ? c : credential;
    }
    assertThat(credential).isNotNull();
    assertThat(credential.get("keyType").asText()).isEqualTo("OPENSSH");

    // the key as a file
    var fromFile = admin.multipart("/console/credentials", Map.of("name", "file-key", "privateKey", ""),
        Map.of("keyFile", file("id_ed25519", PRIVATE_KEY.replace(KEY_BODY, KEY_BODY + "AAAA"))), "/console/credentials/new");
    assertThat(fromFile.statusCode()).as(fromFile.body()).isEqualTo(302);
    assertThat(api.get("/api/v1/credentials").json().findValuesAsText("name")).contains("fleet-key", "file-key");
    int keys = api.get("/api/v1/credentials").json().size();

    // refused forms name the field and never send the key or the passphrase back
    var badName = admin.multipart("/console/credentials", Map.of("name", "bad name", "privateKey", PRIVATE_KEY,
        "passphrase", PASSPHRASE), Map.of(), "/console/credentials/new");
    assertThat(badName.statusCode()).isEqualTo(200);
    assertThat(textOf(badName.body(), "name-problem")).startsWith("must be 1-64 letters");
    assertThat(badName.body()).contains("value=\"bad name\"").doesNotContain(KEY_BODY).doesNotContain(PASSPHRASE);
    var notAKey = admin.multipart("/console/credentials", Map.of("name", "other-key", "privateKey", "ssh-ed25519 AAAA " + PASSPHRASE),
        Map.of(), "/console/credentials/new");
    assertThat(textOf(notAKey.body(), "privateKey-problem")).startsWith("must be a PEM or OpenSSH private key");
    assertThat(notAKey.body()).doesNotContain(PASSPHRASE);
    var duplicate = admin.multipart("/console/credentials", Map.of("name", "fleet-key", "privateKey", PRIVATE_KEY,
        "passphrase", PASSPHRASE), Map.of(), "/console/credentials/new");
    assertThat(textOf(duplicate.body(), "name-problem")).contains("already exists");
    assertThat(duplicate.body()).doesNotContain(KEY_BODY).doesNotContain(PASSPHRASE);
    assertThat(api.get("/api/v1/credentials").json()).as("no refused form stored a key").hasSize(keys);

    // a host that uses the credential, added through the console
    var host = admin.postWithCsrf("/console/hosts", Map.of("name", "keyed-host", "address", "10.2.0.1", "port", "22",
        "access", "SSH", "credentialName", "fleet-key", "keyPath", "", "osFamily", "HCE"), "/console/hosts/new");
    assertThat(host.statusCode()).as(host.body()).isEqualTo(302);
    assertThat(hostNamed("keyed-host").get("credentialName").asText()).isEqualTo("fleet-key");
    assertThat(admin.get("/console/hosts/new").body()).as("the form offers the stored credentials")
        .contains("<option value=\"fleet-key\">fleet-key (OPENSSH)</option>");
    long fleetKey = credential.get("id").asLong();
    assertThat(admin.get("/console/credentials").body()).containsPattern("data-credential=\"fleet-key\"[\\s\\S]*?class=\"used-by\">1<");

    // a credential in use: the page says so, and the deletion is refused
    var asked = admin.postWithCsrf("/console/credentials/" + fleetKey + "/delete", Map.of(), "/console/credentials");
    assertThat(asked.body()).contains("id=\"delete-refused\"").contains("id=\"confirm-delete\"");
    var refused = admin.postWithCsrf("/console/credentials/" + fleetKey + "/delete", Map.of("confirmed", "true"),
        "/console/credentials");
    assertThat(textOf(admin.follow(refused).body(), "problem")).contains("is used by 1 host(s)");
    assertThat(api.get("/api/v1/credentials/" + fleetKey).status()).isEqualTo(200);

    long fileKey = -1;
    for (JsonNode c : api.get("/api/v1/credentials").json()) {
      fileKey = c.get("name").asText().equals("file-key") ? c.get("id").asLong() : fileKey;
    }
    var deleted = admin.postWithCsrf("/console/credentials/" + fileKey + "/delete", Map.of("confirmed", "true"),
        "/console/credentials");
    assertThat(textOf(admin.follow(deleted).body(), "notice")).isEqualTo("Credential file-key deleted.");
    assertThat(api.get("/api/v1/credentials/" + fileKey).status()).isEqualTo(404);
  }

  @Test
  void operatorsAndViewersSeeNoAdminButtonsAndTheirChangesAreRefused() {
    long id = createHost("not-theirs");
    var key = api.post("/api/v1/credentials", ApiClient.json(Map.of("name", "their-key", "privateKey", PRIVATE_KEY)));
    assertThat(key.status()).as(key.toString()).isEqualTo(201);
    long keyId = key.json().get("id").asLong();
    int hosts = hostTotal();
    for (String token : List.of(OPERATOR, VIEWER)) {
      ConsoleHttpClient browser = ConsoleHttpClient.signedIn(port, token);
      assertThat(browser.get("/console/hosts").body()).contains("not-theirs").doesNotContain("id=\"add-host\"")
          .doesNotContain("id=\"import-hosts\"").doesNotContain("id=\"edit-" + id + "\"");
      assertThat(browser.get("/console/hosts/" + id).body()).doesNotContain("id=\"edit-host\"").doesNotContain("id=\"delete-host\"");
      String credentials = browser.get("/console/credentials").body();
      assertThat(credentials).as("everyone may read the list").contains("data-credential=\"their-key\"")
          .doesNotContain("id=\"add-credential\"").doesNotContain("id=\"delete-" + keyId + "\"").doesNotContain(KEY_BODY);
      for (String form : List.of("/console/hosts/new", "/console/hosts/" + id + "/edit", "/console/hosts/import",
          "/console/credentials/new")) {
        assertThat(browser.get(form).statusCode()).as("GET " + form).isEqualTo(403);
      }
      for (String path : List.of("/console/hosts", "/console/hosts/" + id, "/console/hosts/" + id + "/delete",
          "/console/credentials/" + keyId + "/delete")) {
        var forged = browser.postWithCsrf(path, Map.of("name", "forged", "address", "10.0.0.1", "keyPath", "/k",
            "osFamily", "HCE", "confirmed", "true"), "/console/hosts");
        assertThat(forged.statusCode()).as("POST " + path).isEqualTo(403);
        assertThat(forged.body()).contains("Your role may not POST " + path);
      }
      assertThat(browser.multipart("/console/hosts/import", Map.of("csv", "name,address,keyPath,osFamily\nforged,10.0.0.1,/k,HCE\n"),
          Map.of(), "/console/hosts").statusCode()).isEqualTo(403);
      assertThat(browser.multipart("/console/credentials", Map.of("name", "forged-key", "privateKey", PRIVATE_KEY),
          Map.of(), "/console/hosts").statusCode()).isEqualTo(403);
    }
    assertThat(hostTotal()).isEqualTo(hosts);
    assertThat(api.get("/api/v1/hosts/" + id).json().get("name").asText()).isEqualTo("not-theirs");
    assertThat(api.get("/api/v1/credentials/" + keyId).status()).isEqualTo(200);
    assertThat(api.get("/api/v1/credentials").json().findValuesAsText("name")).doesNotContain("forged-key");
  }

  @Test
  void theHostReportCountsPatchesByStateAndLevelAndFiltersByLevel() {
    long id = createHost("reported");
    Instant now = Instant.parse("2026-11-27T00:00:00Z");
    var installed = List.of(new InstalledPackage("openssl", Evr.parse("1:1.1.1m-15.hce2"), "x86_64", now),
        new InstalledPackage("nginx", Evr.parse("1:1.21.5-4.hce2"), "x86_64", now),
        new InstalledPackage("curl", Evr.parse("7.79.1-2.hce2"), "x86_64", now));
    var advisories = List.of(
        new Advisory("HCE2-SA-2026-0001", "openssl", "security", PatchCategory.SECURITY, PatchSeverity.CRITICAL,
            now.minusSeconds(30 * 86400), List.of(new AdvisoryPackage("openssl", Evr.parse("1:1.1.1m-21.hce2"), "x86_64")),
            List.of("CVE-2024-0727"), false),
        new Advisory("HCE2-SA-2026-0003", "curl", "security", PatchCategory.SECURITY, PatchSeverity.IMPORTANT,
            now.minusSeconds(30 * 86400), List.of(new AdvisoryPackage("curl", Evr.parse("7.79.1-9.hce2"), "x86_64")),
            List.of("CVE-2024-2398", "CVE-2024-2004"), false),
        new Advisory("HCE2-BA-2026-0002", "nginx", "bugfix", PatchCategory.BUGFIX, PatchSeverity.LOW,
            now.minusSeconds(30 * 86400), List.of(new AdvisoryPackage("nginx", Evr.parse("1:1.21.5-4.hce2"), "x86_64")),
            List.of(), false));
    var inventory = new HostInventory("hce", "2.0", "HCE 2.0", "5.10.0-1.hce2.x86_64", now.minusSeconds(3600), installed,
        Set.of(), advisories, false, 60L);
    // security patches CRITICAL from the day they are issued, bug fixes MEDIUM
    var made = api.post("/api/v1/baselines", ApiClient.json(Map.of("name", "levels", "os", "HCE", "rules", List.of(
        Map.of("categories", List.of("SECURITY"), "severities", List.of("ALL"), "approveAfterDays", 0,
            "complianceLevel", "CRITICAL"),
        Map.of("categories", List.of("BUGFIX"), "severities", List.of("ALL"), "approveAfterDays", 0,
            "complianceLevel", "MEDIUM")))));
    assertThat(made.status()).as(made.toString()).isEqualTo(201);
    Baseline baseline = baselines.get(made.json().get("id").asLong());
    reports.replace(id, baseline.id(), null, "SCAN", now, inventory, new ComplianceEngine().evaluate(inventory, baseline, now, Set.of()));
    JsonNode report = api.get("/api/v1/hosts/" + id + "/compliance").json();

    ConsoleHttpClient viewer = ConsoleHttpClient.signedIn(port, VIEWER);
    var reportPage = viewer.get("/console/hosts/" + id);
    assertThat(reportPage.statusCode()).as(reportPage.body()).isEqualTo(200);
    String page = reportPage.body();
    // the table by level has a row for each level that has patches, and the API's count in each cell
    Map<String, Map<String, Integer>> expected = new LinkedHashMap<>();
    report.get("countsByLevel").fields().forEachRemaining(level -> {
      Map<String, Integer> byState = new LinkedHashMap<>();
      level.getValue().fields().forEachRemaining(s -> byState.put(s.getKey(), s.getValue().asInt()));
      if (byState.values().stream().mapToInt(Integer::intValue).sum() > 0) {
        expected.put(level.getKey(), byState);
      }
    });
    assertThat(expected).as("the report has patches of two levels at least").hasSizeGreaterThanOrEqualTo(2);
    Matcher rows = Pattern.compile("<tr data-level=\"([A-Z]+)\">([\\s\\S]*?)</tr>").matcher(page);
    Map<String, Map<String, Integer>> shown = new LinkedHashMap<>();
    while (rows.find()) {
      Map<String, Integer> byState = new LinkedHashMap<>();
      Matcher cells = Pattern.compile("<td data-state=\"([A-Z_]+)\">\\s*<(?:a|span)[^>]*>(\\d+)</").matcher(rows.group(2));
      while (cells.find()) {
        byState.put(cells.group(1), Integer.parseInt(cells.group(2)));
      }
      shown.put(rows.group(1), byState);
    }
    assertThat(shown).isEqualTo(expected);
    assertThat(page).contains("id=\"level-counts\"");

    // filter by level, alone and with a state
    String highLevel = report.get("patches").get(0).get("complianceLevel").asText();
    long ofLevel = 0;
    for (JsonNode p : report.get("patches")) {
      ofLevel += p.get("complianceLevel").asText().equals(highLevel) ? 1 : 0;
    }
    String filtered = viewer.get("/console/hosts/" + id + "?level=" + highLevel).body();
    List<String> levels = attributes(filtered, "#patches", "data-level");
    assertThat(levels).hasSize((int) ofLevel).containsOnly(highLevel);
    assertThat(filtered).contains("<option value=\"" + highLevel + "\" selected=\"selected\">");
    String missingOfLevel = viewer.get("/console/hosts/" + id + "?level=" + highLevel + "&state=MISSING").body();
    List<String> advisories2 = attributes(missingOfLevel, "#patches", "data-advisory");
    List<String> expectedAdvisories = new ArrayList<>();
    report.get("patches").forEach(p -> {
      if (p.get("complianceLevel").asText().equals(highLevel) && p.get("state").asText().equals("MISSING")) {
        expectedAdvisories.add(p.get("advisoryId").asText());
      }
    });
    assertThat(advisories2).isEqualTo(expectedAdvisories);
    assertThat(viewer.get("/console/hosts/" + id + "?level=INFORMATIONAL").body()).contains("id=\"no-patch\"");
    var wrong = viewer.get("/console/hosts/" + id + "?level=SEVERE");
    assertThat(wrong.statusCode()).isEqualTo(400);
    assertThat(textOf(wrong.body(), "error-message")).isEqualTo("Invalid request: 'level' has a value it cannot have");

    // the patch table: level, severity, category, CVEs, packages installed → fixed
    assertThat(HtmlUtils.htmlUnescape(page.replaceAll("<[^>]+>", ""))).contains("CVE-2024-2398, CVE-2024-2004")
        .contains("curl.x86_64 7.79.1-2.hce2 → 7.79.1-9.hce2").contains("IMPORTANT").contains("SECURITY");
  }

  /** The values of an attribute on the rows of the table with this id. */
  static List<String> attributes(String html, String tableId, String attribute) {
    String table = html.substring(html.indexOf("id=\"" + tableId.substring(1) + "\""));
    table = table.substring(0, table.indexOf("</table>"));
    List<String> values = new ArrayList<>();
    Matcher m = Pattern.compile("<tr [^>]*" + attribute + "=\"([^\"]*)\"").matcher(table);
    while (m.find()) {
      values.add(m.group(1));
    }
    return values;
  }
}
