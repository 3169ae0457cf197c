package com.pazpaz.secrets.jdbc.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * One PgBouncer per test JVM in front of {@link TestPostgres}, started on first use as a child
 * process, configured as a clinic would run it in front of a rotated database:
 *
 * <ul>
 *   <li>clients must use TLS; PgBouncer presents the test certificate for {@code localhost}, so
 *       {@code sslmode=verify-full} with {@link TestPostgres#caCertificate()} works against it;
 *   <li>clients log in with SCRAM-SHA-256, checked against the verifier PgBouncer reads from the
 *       database through {@code auth_query} on every login, so it follows the database's current
 *       password without a reload;
 *   <li>PgBouncer logs in to PostgreSQL over verified TLS, with the client's SCRAM keys.
 * </ul>
 *
 * Configuration and logs live under {@code target/test-pgbouncer/PID}. A JVM shutdown hook stops
 * the process. Tests call {@link #installed()} first and report themselves skipped with {@link
 * #NOT_INSTALLED} when the binary is absent.
 */
public final class TestPgBouncer {

  /** The reason a test gives when it is skipped because PgBouncer is absent. */
  public static final String NOT_INSTALLED =
      "pgbouncer is not installed: apt-get install pgbouncer";

  private static final String HOST = "localhost";
  private static final String AUTH_USER = "pgbouncer_auth";
  // A function owned by the superuser, so that the auth user can read verifiers without being one.
  private static final String AUTH_QUERY = "SELECT uname, phash FROM pgbouncer.user_lookup($1)";
  private static final List<Path> WELL_KNOWN_BINARIES =
      List.of(Path.of("/usr/sbin/pgbouncer"), Path.of("/usr/local/sbin/pgbouncer"));
  // PgBouncer refuses to run as root; as root we hand it to one of these users.
  private static final List<String> UNPRIVILEGED_USERS = List.of("postgres", "nobody");
  private static final Duration START_TIMEOUT = Duration.ofSeconds(20);

  private static TestPgBouncer instance;
  private static IllegalStateException startFailure;

  private final Process process;
  private final int port;
  private final Path workDir;
  private final String authPassword;
  private final Set<String> preparedDatabases = new HashSet<>();

  private TestPgBouncer(Process process, int port, Path workDir, String authPassword) {
    this.process = process;
    this.port = port;
    this.workDir = workDir;
    this.authPassword = authPassword;
  }

  /** Whether a pgbouncer binary is on the PATH or where Debian's package installs it. */
  public static boolean installed() {
    return binary().isPresent();
  }

  /** The JVM-wide PgBouncer, started by the first call; a failed start is not retried. */
  public static synchronized TestPgBouncer get() {
    if (startFailure != null) {
      throw new IllegalStateException("The test PgBouncer failed to start earlier", startFailure);
    }
    if (instance == null) {
      try {
        instance = start(TestPostgres.get());
      } catch (IOException | SQLException | RuntimeException e) {
        startFailure = new IllegalStateException("Could not start the test PgBouncer", e);
        throw startFailure;
      }
    }
    return instance;
  }

  /** "localhost", the name the certificate PgBouncer presents is issued to. */
  public String host() {
    return HOST;
  }

  public int port() {
    return port;
  }

  /**
   * Makes the database reachable through PgBouncer: creates it if missing and installs the function
   * {@code auth_query} calls there (PgBouncer 1.18 runs it in the database the client asked for).
   */
  public synchronized void serveDatabase(String database) {
    if (preparedDatabases.contains(database)) {
      return;
    }
    TestPostgres postgres = TestPostgres.get();
    postgres.createDatabase(database);
    try (Connection admin = postgres.adminConnection(database);
        Statement statement = admin.createStatement()) {
      statement.execute("CREATE SCHEMA IF NOT EXISTS pgbouncer AUTHORIZATION postgres");
      statement.execute(
          "CREATE OR REPLACE FUNCTION pgbouncer.user_lookup(i_username text)"
              + " RETURNS TABLE (uname text, phash text) LANGUAGE sql SECURITY DEFINER"
              + " SET search_path = pg_catalog AS"
              + " $$ SELECT usename::text, passwd FROM pg_catalog.pg_shadow"
              + " WHERE usename = i_username $$");
      statement.execute("REVOKE ALL ON FUNCTION pgbouncer.user_lookup(text) FROM PUBLIC");
      statement.execute("GRANT USAGE ON SCHEMA pgbouncer TO " + AUTH_USER);
      statement.execute("GRANT EXECUTE ON FUNCTION pgbouncer.user_lookup(text) TO " + AUTH_USER);
    } catch (SQLException e) {
      throw new IllegalStateException(
          "Could not prepare database " + database + " for PgBouncer", e);
    }
    preparedDatabases.add(database);
  }

  /** The password of the role PgBouncer runs {@code auth_query} as (for the log leak check). */
  public String authUserPassword() {
    return authPassword;
  }

  /** PgBouncer's own log, for diagnostics. */
  public String log() {
    try {
      return Files.readString(workDir.resolve("pgbouncer.log"), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  private static Optional<Path> binary() {
    Stream<Path> onPath =
        Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
            .filter(dir -> !dir.isEmpty())
            .map(dir -> Path.of(dir, "pgbouncer"));
    return Stream.concat(onPath, WELL_KNOWN_BINARIES.stream())
        .filter(Files::isExecutable)
        .findFirst();
  }

  private static TestPgBouncer start(TestPostgres postgres) throws IOException, SQLException {
    Path binary = binary().orElseThrow(() -> new IllegalStateException(NOT_INSTALLED));
    Path workDir =
        Files.createDirectories(
            Path.of("target", "test-pgbouncer", Long.toString(ProcessHandle.current().pid()))
                .toAbsolutePath());
    String authPassword = "pgb-" + UUID.randomUUID();
    createAuthUser(postgres, authPassword);

    Path certificate =
        Files.copy(
            postgres.serverCertificateFile(),
            workDir.resolve("server.crt"),
            StandardCopyOption.REPLACE_EXISTING);
    Path key =
        writePrivate(workDir.resolve("server.key"), Files.readString(postgres.serverKeyFile()));
    Path ca =
        Files.copy(
            postgres.caCertificate(),
            workDir.resolve("ca.crt"),
            StandardCopyOption.REPLACE_EXISTING);
    // auth_user logs in to PostgreSQL itself, so PgBouncer needs its password in clear text.
    Path userlist =
        writePrivate(
            workDir.resolve("userlist.txt"), quote(AUTH_USER) + " " + quote(authPassword) + "\n");
    int port = freePort();
    Path config =
        Files.writeString(
            workDir.resolve("pgbouncer.ini"),
            config(postgres, port, certificate, key, ca, userlist),
            StandardCharsets.UTF_8);

    List<String> command = new ArrayList<>(List.of(binary.toString()));
    String runAs = runAsUser(workDir);
    if (runAs != null) {
      command.addAll(List.of("-u", runAs));
    }
    command.add(config.toString());
    Process process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(workDir.resolve("pgbouncer.log").toFile())
            .start();
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> stopAndForget(process, List.of(key, userlist)), "test-pgbouncer-stop"));
    TestPgBouncer bouncer = new TestPgBouncer(process, port, workDir, authPassword);
    bouncer.awaitListening();
    return bouncer;
  }

  private static String config(
      TestPostgres postgres, int port, Path certificate, Path key, Path ca, Path userlist) {
    return String.join(
        "\n",
        "; Written by TestPgBouncer.",
        "[databases]",
        "* = host=" + postgres.host() + " port=" + postgres.port(),
        "",
        "[pgbouncer]",
        "listen_addr = 127.0.0.1",
        "listen_port = " + port,
        "unix_socket_dir =",
        // No pidfile and no logfile: PgBouncer opens those after switching to the unprivileged
        // user, who may not reach target/ (a clone under /root). It logs to stderr, captured here.
        "pidfile =",
        "logfile =",
        "pool_mode = session",
        "auth_type = scram-sha-256",
        "auth_file = " + userlist,
        "auth_user = " + AUTH_USER,
        "auth_query = " + AUTH_QUERY,
        "client_tls_sslmode = require",
        "client_tls_cert_file = " + certificate,
        "client_tls_key_file = " + key,
        "server_tls_sslmode = verify-full",
        "server_tls_ca_file = " + ca,
        // pgjdbc sends extra_float_digits at start-up; PgBouncer refuses unknown parameters.
        "ignore_startup_parameters = extra_float_digits",
        "");
  }

  private static void createAuthUser(TestPostgres postgres, String password) throws SQLException {
    try (Connection admin = postgres.adminConnection();
        Statement statement = admin.createStatement()) {
      statement.execute(
          "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '"
              + AUTH_USER
              + "') THEN CREATE ROLE "
              + AUTH_USER
              + " LOGIN; END IF; END $$");
    }
    postgres.alterPassword(AUTH_USER, password);
  }

  /**
   * As root: the unprivileged user PgBouncer switches to after reading its configuration, made
   * owner of the working directory and its files so that a reload (which rereads them as that user)
   * works too. Otherwise null: PgBouncer runs as we do.
   */
  private static String runAsUser(Path workDir) throws IOException {
    if (!"root".equals(System.getProperty("user.name"))) {
      return null;
    }
    for (String name : UNPRIVILEGED_USERS) {
      UserPrincipal user;
      try {
        user = FileSystems.getDefault().getUserPrincipalLookupService().lookupPrincipalByName(name);
      } catch (UserPrincipalNotFoundException e) {
        continue;
      }
      try (Stream<Path> files = Files.walk(workDir)) {
        for (Path file : files.toList()) {
          Files.setOwner(file, user);
        }
      }
      return name;
    }
    throw new IllegalStateException(
        "PgBouncer refuses to run as root and none of the users "
            + UNPRIVILEGED_USERS
            + " exists to run it as");
  }

  private void awaitListening() throws IOException {
    Instant deadline = Instant.now().plus(START_TIMEOUT);
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "PgBouncer exited with status " + process.exitValue() + ":\n" + log());
      }
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
        return;
      } catch (IOException notYet) {
        sleep(Duration.ofMillis(50));
      }
    }
    stop(process);
    throw new IllegalStateException(
        "PgBouncer did not listen on port " + port + " within " + START_TIMEOUT + ":\n" + log());
  }

  private static void stop(Process process) {
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  // The logs and the configuration stay for a look after the run; the key and password go.
  private static void stopAndForget(Process process, List<Path> secrets) {
    stop(process);
    for (Path secret : secrets) {
      try {
        Files.deleteIfExists(secret);
      } catch (IOException e) {
        // Best effort: target/ is removed by "mvn clean" anyway.
      }
    }
  }

  private static Path writePrivate(Path file, String content) throws IOException {
    Files.deleteIfExists(file);
    Files.createFile(
        file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    return Files.writeString(file, content, StandardCharsets.UTF_8);
  }

  private static String quote(String value) {
    return '"' + value.replace("\"", "\"\"") + '"';
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while waiting for PgBouncer", e);
    }
  }
}
