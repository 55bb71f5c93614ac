package io.patchloop.standalone;

import io.patchloop.PatchloopApplication;
import java.nio.file.Path;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Patchloop in one JVM for a first run and for demos: the API, the worker, an embedded Temporal
 * server and an embedded MariaDB. The embedded servers start before Spring (the datasource and the
 * Temporal client need them) and stop after it (the workers must stop polling first).
 */
@PatchloopApplication
public class StandaloneApplication {

  private static final Logger log = LoggerFactory.getLogger(StandaloneApplication.class);

  /** A running standalone platform; closing it stops Spring, then the embedded servers. */
  public record Running(ConfigurableApplicationContext context, EmbeddedInfrastructureHandle infrastructure)
      implements AutoCloseable {
    @Override
    public void close() {
      try {
        context.close();
      } finally {
        infrastructure.close();
      }
    }

    public int apiPort() {
      return Integer.parseInt(context.getEnvironment().getProperty("local.server.port", "8080"));
    }

    public Path dataDir() {
      return infrastructure.dataDir();
    }
  }

  /** The embedded servers as seen from outside this package. */
  public static final class EmbeddedInfrastructureHandle implements AutoCloseable {
    private final EmbeddedInfrastructure infrastructure;

    EmbeddedInfrastructureHandle(EmbeddedInfrastructure infrastructure) {
      this.infrastructure = infrastructure;
    }

    public Path dataDir() {
      return infrastructure.dataDir();
    }

    public String jdbcUrl() {
      return infrastructure.jdbcUrl();
    }

    @Override
    public void close() {
      infrastructure.close();
    }
  }

  public static void main(String[] args) {
    Running running = start(args);
    Runtime.getRuntime().addShutdownHook(new Thread(running::close, "patchloop-shutdown"));
  }

  public static Running start(String... args) {
    EmbeddedInfrastructure[] infrastructure = new EmbeddedInfrastructure[1];
    SpringApplication app = new SpringApplication(StandaloneApplication.class);
    app.setAdditionalProfiles("standalone");
    // our own shutdown hook closes Spring first and the embedded servers after it
    app.setRegisterShutdownHook(false);
    app.addListeners((ApplicationEnvironmentPreparedEvent event) -> {
      ConfigurableEnvironment env = event.getEnvironment();
      infrastructure[0] = new EmbeddedInfrastructure(
          Path.of(env.getRequiredProperty("patchloop.data-dir")),
          env.getRequiredProperty("patchloop.standalone.db-port", Integer.class),
          env.getRequiredProperty("patchloop.standalone.temporal-port", Integer.class));
      infrastructure[0].start();
      env.getPropertySources().addFirst(new MapPropertySource("embedded-infrastructure", infrastructure[0].properties()));
    });
    ConfigurableApplicationContext context;
    try {
      context = app.run(args);
    } catch (RuntimeException e) {
      if (infrastructure[0] != null) {
        infrastructure[0].close();
      }
      throw e;
    }
    Running running = new Running(context, new EmbeddedInfrastructureHandle(infrastructure[0]));
    printWhatRunsWhere(running, infrastructure[0]);
    return running;
  }

  private static void printWhatRunsWhere(Running running, EmbeddedInfrastructure infra) {
    var env = running.context().getEnvironment();
    String api = "http://" + env.getProperty("server.address", "127.0.0.1") + ":" + running.apiPort();
    log.info("""

        Patchloop standalone is up.
          API            {}/api/v1   (bearer token: see above, or {}/admin-token)
          console        {}/console   (sign in with that token)
          health         {}/actuator/health
          OpenAPI        {}/v3/api-docs   Swagger UI {}/swagger-ui.html
          Temporal       127.0.0.1:{} (embedded test server, namespace {}, task queue {})
          MariaDB        127.0.0.1:{} (embedded), database {}, data in {}
        Stop with Ctrl-C.""",
        api, infra.dataDir(), api, api, api, api, infra.temporalPort(),
        env.getProperty("spring.temporal.namespace"), env.getProperty("patchloop.task-queue"),
        infra.dbPort(), EmbeddedInfrastructure.DATABASE, infra.dataDir().resolve("mariadb/data"));
  }

}
