package io.patchloop.api;

import io.patchloop.PatchloopApplication;
import org.springframework.boot.SpringApplication;

/** The REST API alone, for production where the API and the workers scale apart. */
@PatchloopApplication
public class ApiApplication {

  public static void main(String[] args) {
    SpringApplication app = new SpringApplication(ApiApplication.class);
    app.setAdditionalProfiles("api");
    app.run(args);
  }
}
