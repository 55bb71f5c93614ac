package io.patchloop.apiclient;

import io.patchloop.standalone.StandaloneApplication;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Starts the standalone platform on its embedded defaults ({@link EmbeddedPlatform}), reads its
 * OpenAPI description from {@code /v3/api-docs} as a client generator would, writes it to the file
 * named by the first argument and stops. The build runs it before generating the Java client.
 */
public final class ApiDescriptionExport {

  private ApiDescriptionExport() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 1) {
      System.err.println("usage: ApiDescriptionExport <output.json>");
      System.exit(2);
    }
    Path out = Path.of(args[0]).toAbsolutePath();
    Files.createDirectories(out.getParent());
    Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir")));
    int status;
    try (StandaloneApplication.Running running = EmbeddedPlatform.start(out.getParent(), "--logging.level.root=WARN",
        "--logging.level.io.patchloop.standalone=INFO")) {
      HttpResponse<String> docs = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
              URI.create("http://127.0.0.1:" + running.apiPort() + "/v3/api-docs"))
              .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
      status = docs.statusCode();
      if (status == 200) {
        Files.writeString(out, docs.body());
        System.out.println("OpenAPI description of the running platform written to " + out);
      } else {
        System.err.println("GET /v3/api-docs answered " + status + ": " + docs.body());
      }
    }
    // the embedded servers leave non-daemon threads behind; the answer is written
    System.exit(status == 200 ? 0 : 1);
  }
}
