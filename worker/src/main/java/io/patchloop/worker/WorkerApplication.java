package io.patchloop.worker;

import io.patchloop.PatchloopApplication;
import org.springframework.boot.SpringApplication;

/**
 * The worker alone: polls Patchloop's task queues on the configured Temporal cluster and runs
 * workflows and activities (found by the Temporal starter's auto-discovery under io.patchloop).
 */
@PatchloopApplication
public class WorkerApplication {

  public static void main(String[] args) {
    SpringApplication app = new SpringApplication(WorkerApplication.class);
    app.setAdditionalProfiles("worker");
    app.run(args);
  }
}
