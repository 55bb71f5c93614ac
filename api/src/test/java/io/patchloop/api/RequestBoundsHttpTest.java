package io.patchloop.api;

import static io.patchloop.api.ApiHttpTest.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.patchloop.testing.http.ApiClient;
import io.patchloop.testing.http.ApiClient.Response;
import jakarta.servlet.MultipartConfigElement;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.http.converter.json.JacksonJsonHttpMessageConverter;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerAdapter;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Review M8 over real HTTP on loopback (real MariaDB, the Temporal test server): what one request
 * may make the API read. Bodies past 1 MiB (10 MiB for the host import) are refused with 413,
 * whether they say their length or come chunked; every string has a length; Jackson's read limits
 * answer 400; the review's 200,000-row CSV is refused at once.
 */
@SpringBootTest(classes = ApiApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class RequestBoundsHttpTest {

  static final int MIB = 1024 * 1024;

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    ApiTestProperties.register(registry, "bounds", ApiTestProperties.EVERY_ROLE);
  }

  @LocalServerPort int port;
  @Autowired JsonMapper jsonMapper;
  @Autowired RequestMappingHandlerAdapter mvc;
  @Autowired MultipartConfigElement multipart;
  ApiClient admin;
  final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  @BeforeEach
  void client() {
    admin = new ApiClient("http://127.0.0.1:" + port, ApiTestProperties.ADMIN);
  }

  /** A POST whose body the JDK client sends with Content-Length, or, {@code chunked}, without (Transfer-Encoding: chunked). */
  Response post(String path, String contentType, byte[] body, boolean chunked) throws IOException, InterruptedException {
    HttpRequest.BodyPublisher publisher = chunked
        // an InputStream publisher has no length, so the client sends chunks
        ? HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))
        : HttpRequest.BodyPublishers.ofByteArray(body);
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(60))
        .header("Authorization", "Bearer " + ApiTestProperties.ADMIN)
        .header("Content-Type", contentType)
        .POST(publisher).build(), HttpResponse.BodyHandlers.ofString());
    return new Response(r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), r.body());
  }

  /**
   * A host with tags enough to make the body at least {@code size} bytes, each tag short (no read
   * limit of the parser is hit before the size is): the tag count rule would refuse it, if it were read.
   */
  static byte[] hostOfSize(int size) {
    StringBuilder json = new StringBuilder("{\"name\":\"h-1\",\"address\":\"10.0.0.1\",\"keyPath\":\"/k\","
        + "\"osFamily\":\"HCE\",\"tags\":{\"k0\":\"v\"");
    for (int i = 1; json.length() < size - 2; i++) {
      json.append(",\"k").append(i).append("\":\"value\"");
    }
    return json.append("}}").toString().getBytes(StandardCharsets.UTF_8);
  }

  static void assertTooLarge(Response r, String limit) {
    assertProblem(r, 413, "body");
    assertThat(r.json().get("title").asText()).isEqualTo("Request too large");
    assertThat(r.json().get("errors").get(0).get("reason").asText()).isEqualTo("must be at most " + limit);
  }

  @Test
  void aJsonBodyOverOneMibIsRefusedWith413WhetherItSaysItsLengthOrNot() throws Exception {
    byte[] body = hostOfSize(MIB + 1000);
    assertTooLarge(post("/api/v1/hosts", "application/json", body, false), "1048576 bytes (1 MiB)");
    assertTooLarge(post("/api/v1/hosts", "application/json", body, true), "1048576 bytes (1 MiB)");
    // just under the limit the body is read, and the tag count is what is wrong with it
    assertProblem(post("/api/v1/hosts", "application/json", hostOfSize(MIB - 1000), true), 400, "tags");
    // not only JSON: any body under /api/ that says it is too long is refused before anything reads it
    assertTooLarge(post("/api/v1/tickets", "text/plain", body, false), "1048576 bytes (1 MiB)");
  }

  @Test
  void theHostImportTakesUpToTenMib() throws Exception {
    StringBuilder csv = new StringBuilder("name,address,osFamily\n");
    while (csv.length() < 2 * MIB) {
      csv.append("host-with-a-long-name-").append(csv.length()).append(",10.0.0.1,HCE\n");
    }
    byte[] twoMib = csv.toString().getBytes(StandardCharsets.UTF_8);
    // read in full (more than the 1 MiB of other requests), then refused for its row count
    Response tooManyRows = post("/api/v1/hosts/import", "text/csv", twoMib, true);
    assertProblem(tooManyRows, 400, "body");
    assertThat(tooManyRows.body()).contains("at most 5000 hosts per import");

    byte[] overTen = new byte[10 * MIB + 4096];
    java.util.Arrays.fill(overTen, (byte) 'x');
    assertTooLarge(post("/api/v1/hosts/import", "text/csv", overTen, false), "10485760 bytes (10 MiB)");
    assertTooLarge(post("/api/v1/hosts/import", "text/csv", overTen, true), "10485760 bytes (10 MiB)");
  }

  @Test
  void aTooLongStringGets400NamingTheFieldAndTheMaximumWithoutEchoingIt() {
    String longText = "abcdefghij".repeat(30);
    Response host = admin.post("/api/v1/hosts", ApiClient.json(Map.of("name", "h-1", "address", longText,
        "keyPath", "/k", "osFamily", "HCE")));
    assertProblem(host, 400, "address");
    assertThat(host.json().get("errors").get(0).get("reason").asText()).isEqualTo("must be at most 253 characters");
    assertThat(host.body()).doesNotContain("abcdefghijabcdefghij");

    Response channel = admin.post("/api/v1/notification-channels", ApiClient.json(Map.of("name", "mail",
        "type", "EMAIL", "email", Map.of("host", "smtp.example.com", "username", longText, "password", "pw",
            "from", "patchloop@example.com", "recipients", List.of("ops@example.com")))));
    assertProblem(channel, 400, "email.username");
    assertThat(channel.json().get("errors").get(0).get("reason").asText()).isEqualTo("must be at most 255 characters");
    assertThat(channel.body()).doesNotContain("abcdefghijabcdefghij");

    Response plan = admin.as(ApiTestProperties.OPERATOR).post("/api/v1/inspection-plans", ApiClient.json(Map.of(
        "name", "nightly", "cron", "0 2 * * " + "1,".repeat(100) + "1", "selector", Map.of("all", true))));
    assertProblem(plan, 400, "cron");
    assertThat(plan.json().get("errors").get(0).get("reason").asText()).isEqualTo("must be at most 128 characters");
  }

  @Test
  void aSelectorOfMoreTagsThanAHostCanCarryGets400() {
    Map<String, String> tags = new LinkedHashMap<>();
    for (int i = 0; i < 33; i++) {
      tags.put("key" + i, "value");
    }
    Response r = admin.as(ApiTestProperties.OPERATOR).post("/api/v1/tickets", ApiClient.json(Map.of(
        "operation", "SCAN", "selector", Map.of("tags", tags))));
    assertProblem(r, 400, "selector.tags");
    assertThat(r.json().get("errors").get(0).get("reason").asText()).isEqualTo("at most 32 tags (a host carries at most 32)");
  }

  @Test
  void jacksonsReadLimitsAnswer400NotAStackTraceOr500() {
    // a number of 200 digits: ids and counts have at most 20
    Response number = admin.as(ApiTestProperties.OPERATOR).post("/api/v1/tickets",
        "{\"operation\":\"SCAN\",\"hostIds\":[1],\"concurrency\":" + "9".repeat(200) + "}");
    assertProblem(number, 400, "body");
    assertThat(number.json().get("errors").get(0).get("reason").asText())
        .startsWith("exceeds a limit of the API: ").contains("Number value length").contains("(100)")
        .doesNotContain("StreamReadConstraints");

    // a field name of 2000 characters was echoed whole as an unknown field
    Response name = admin.as(ApiTestProperties.OPERATOR).post("/api/v1/tickets",
        "{\"operation\":\"SCAN\",\"" + "n".repeat(2000) + "\":1}");
    assertProblem(name, 400, "body");
    assertThat(name.json().get("errors").get(0).get("reason").asText()).contains("Name length").contains("(1024)");
    assertThat(name.body()).doesNotContain("n".repeat(100));
    // one under the read limit is an unknown field, named by its first 100 characters
    Response unknown = admin.as(ApiTestProperties.OPERATOR).post("/api/v1/tickets",
        "{\"operation\":\"SCAN\",\"" + "n".repeat(1000) + "\":1}");
    assertProblem(unknown, 400, "n".repeat(100) + "…");
    assertThat(unknown.body()).doesNotContain("n".repeat(101));

    // a 100 KiB password: no field of the API is that long, so the parser stops before any rule runs
    String bigPassword = "p".repeat(100 * 1024);
    Response big = admin.post("/api/v1/notification-channels", ApiClient.json(Map.of("name", "mail",
        "type", "EMAIL", "email", Map.of("host", "smtp.example.com", "username", "u", "password", bigPassword,
            "from", "patchloop@example.com", "recipients", List.of("ops@example.com")))));
    assertProblem(big, 400, "body");
    assertThat(big.json().get("errors").get(0).get("reason").asText()).contains("String value length")
        .contains("(65536)");
  }

  /**
   * Depth cannot be reached through the API's typed bodies (a nested array where a field wants a
   * value fails first), so it is shown on the mapper bean itself: the one Spring MVC reads bodies with.
   */
  @Test
  void theMapperMvcReadsBodiesWithHasTheReadConstraintsAndTheConsoleUploadsTheImportLimit() {
    String deep = "[".repeat(33) + "]".repeat(33);
    assertThatThrownBy(() -> jsonMapper.readTree(deep)).isInstanceOf(StreamConstraintsException.class)
        .hasMessageContaining("nesting depth (33)");
    assertThat(jsonMapper.readTree("[".repeat(32) + "]".repeat(32))).isNotNull();
    assertThat(mvc.getMessageConverters()).filteredOn(JacksonJsonHttpMessageConverter.class::isInstance)
        .as("MVC reads JSON with the constrained mapper").isNotEmpty()
        .allSatisfy(c -> assertThat(((JacksonJsonHttpMessageConverter) c).getMapper()).isSameAs(jsonMapper));
    assertThat(multipart.getMaxFileSize()).isEqualTo(10L * MIB);
    assertThat(multipart.getMaxRequestSize()).isEqualTo(10L * MIB);
  }

  /**
   * The review's live test 9: 200,000 one-field rows. Before, parsing and collecting a problem per
   * row was quadratic: minutes of CPU for a 400 KB body. The bound asserted is generous (timing is
   * measured, not asserted tightly); the measured figures are printed.
   */
  @Test
  void theReviewsTwoHundredThousandRowCsvIsRefusedAtOnce() throws Exception {
    StringBuilder csv = new StringBuilder("name,address,osFamily\n");
    for (int i = 0; i < 200_000; i++) {
      csv.append("x\n");
    }
    byte[] body = csv.toString().getBytes(StandardCharsets.UTF_8);
    var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    long cpuBefore = os.getProcessCpuTime();
    long started = System.nanoTime();
    Response r = post("/api/v1/hosts/import", "text/csv", body, false);
    long wallMillis = (System.nanoTime() - started) / 1_000_000;
    long cpuMillis = (os.getProcessCpuTime() - cpuBefore) / 1_000_000;
    System.out.printf("RequestBoundsHttpTest: 200,000-row CSV (%d bytes) answered %d in %d ms wall,"
        + " %d ms CPU of the whole test JVM (client and API)%n", body.length, r.status(), wallMillis, cpuMillis);

    assertProblem(r, 400, "body");
    JsonNode error = r.json().get("errors").get(0);
    assertThat(error.get("reason").asText()).isEqualTo("at most 5000 hosts per import; split the file");
    assertThat(wallMillis).isLessThan(5_000);
  }
}
