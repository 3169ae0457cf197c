package com.pazpaz.secrets.jdbc.containers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.pazpaz.secrets.jdbc.testing.LogCapture;
import com.pazpaz.secrets.jdbc.testing.SelfSignedCertificate;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.testcontainers.images.builder.Transferable;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.localstack.LocalStackContainer;
import org.testcontainers.postgresql.PostgreSQLContainer;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * The user-level checks of the embedded suites (DriverConnectTest, RotationTest,
 * ErrorMessagesTest), against the real things: LocalStack's Secrets Manager and the official
 * PostgreSQL image with TLS on. Where there is no Docker engine the whole class is reported as
 * skipped.
 *
 * <p>The driver is used exactly as an application uses it: {@link DriverManager}, the registered
 * driver, its shared cache, AWS credentials from the SDK's default chain (surefire sets {@code
 * aws.accessKeyId}/{@code aws.secretAccessKey}; LocalStack accepts any).
 */
@Tag("docker")
@Testcontainers(disabledWithoutDocker = true)
class LocalStackPostgresTest {

  private static final String CERT_IN_CONTAINER = "/tmp/pazpaz-server.crt";
  private static final String KEY_IN_CONTAINER = "/tmp/pazpaz-server.key";
  private static final String SCRAM = "scram-sha-256";

  /** The generated server certificate; the same file is the client's CA (ssl_cert_path). */
  private static final Path CA_CERTIFICATE;

  private static final byte[] SERVER_KEY;

  static {
    try {
      Path dir = Files.createTempDirectory("pazpaz-containers-tls-");
      dir.toFile().deleteOnExit();
      SelfSignedCertificate certificate = SelfSignedCertificate.generateForLocalhost(dir);
      CA_CERTIFICATE = certificate.writeCertificate(dir.resolve("ca.crt")).toAbsolutePath();
      CA_CERTIFICATE.toFile().deleteOnExit();
      Path key = certificate.writePrivateKey(dir.resolve("server.key"));
      SERVER_KEY = Files.readAllBytes(key);
      Files.delete(key);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The official image, with TLS on and the generated certificate. Files copied into a container
   * are owned by root, and PostgreSQL (which runs as user postgres) must own a 0600 key, so a small
   * wrapper, run as root by the image's entrypoint, hands the key to postgres and then calls the
   * image's own entrypoint exactly as the default command would (plus the TLS settings, which the
   * init-time server gets too).
   */
  @Container
  static final PostgreSQLContainer POSTGRES =
      new PostgreSQLContainer("postgres:17-alpine")
          .withCopyToContainer(Transferable.of(readCertificate(), 0644), CERT_IN_CONTAINER)
          .withCopyToContainer(Transferable.of(SERVER_KEY, 0600), KEY_IN_CONTAINER)
          .withCommand(
              "sh",
              "-c",
              "set -e; "
                  + "chown postgres:postgres "
                  + CERT_IN_CONTAINER
                  + " "
                  + KEY_IN_CONTAINER
                  + "; "
                  + "chmod 0600 "
                  + KEY_IN_CONTAINER
                  + "; "
                  + "exec docker-entrypoint.sh postgres -c fsync=off -c ssl=on"
                  + " -c ssl_cert_file="
                  + CERT_IN_CONTAINER
                  + " -c ssl_key_file="
                  + KEY_IN_CONTAINER);

  /**
   * 4.14.0 is the last LocalStack community release that starts without an auth token; later tags
   * (and {@code latest}) require {@code LOCALSTACK_AUTH_TOKEN}.
   */
  @Container
  static final LocalStackContainer LOCALSTACK =
      new LocalStackContainer("localstack/localstack:4.14.0").withServices("secretsmanager");

  private static final ObjectMapper JSON = new ObjectMapper();

  private static SecretsManagerClient secretsManager;

  @BeforeAll
  static void secretsManagerClient() {
    secretsManager =
        SecretsManagerClient.builder()
            .httpClientBuilder(UrlConnectionHttpClient.builder())
            .endpointOverride(LOCALSTACK.getEndpoint())
            .region(Region.of(LOCALSTACK.getRegion()))
            .credentialsProvider(
                StaticCredentialsProvider.create(
                    AwsBasicCredentials.create(
                        LOCALSTACK.getAccessKey(), LOCALSTACK.getSecretKey())))
            .build();
  }

  @AfterAll
  static void closeSecretsManagerClient() {
    if (secretsManager != null) {
      secretsManager.close();
    }
  }

  @Test
  void secretInLocalStackConnectsThroughDriverManagerWithTls() throws Exception {
    String role = uniqueRole("app");
    String password = password(role);
    createRole(role, password);
    String secret = uniqueSecret("connect");
    createSecret(secret, secretJson(role, password));

    try (LogCapture logs = LogCapture.finest();
        Connection connection = DriverManager.getConnection(url(secret))) {
      assertEquals(role, queryString(connection, "SELECT current_user"));
      assertEquals(
          "t", queryString(connection, "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()"));
      assertTrue(connection.isWrapperFor(PGConnection.class));
      assertInstanceOf(PGConnection.class, connection.unwrap(PGConnection.class));
      assertTrue(logs.linesContaining(password).isEmpty(), "password in logs");
    }
  }

  @Test
  void nextConnectionAfterARotationSucceedsWithoutARestart() throws Exception {
    String role = uniqueRole("rotated");
    String oldPassword = password(role);
    String newPassword = password(role) + "-new";
    createRole(role, oldPassword);
    String secret = uniqueSecret("rotation");
    createSecret(secret, secretJson(role, oldPassword));

    try (Connection before = DriverManager.getConnection(url(secret))) {
      assertEquals(role, queryString(before, "SELECT current_user"));
      // The rotation: the database first, then the new AWSCURRENT version of the secret.
      alterPassword(role, newPassword);
      String rotated = secretJson(role, newPassword);
      secretsManager.putSecretValue(request -> request.secretId(secret).secretString(rotated));

      // The driver still caches the old password: its login fails, it re-reads, it retries.
      try (Connection after = DriverManager.getConnection(url(secret))) {
        assertEquals(role, queryString(after, "SELECT current_user"));
      }
      // And once more, from the refreshed cache.
      try (Connection again = DriverManager.getConnection(url(secret))) {
        assertEquals(role, queryString(again, "SELECT current_user"));
      }
      // A connection opened before the rotation keeps working.
      assertEquals(role, queryString(before, "SELECT current_user"));
    }
  }

  @Test
  void missingSecretFailsWith08001NamingTheSecret() {
    String secret = uniqueSecret("missing");
    SQLException e =
        assertThrows(SQLException.class, () -> DriverManager.getConnection(url(secret)).close());
    assertEquals("08001", e.getSQLState(), e.getMessage());
    assertTrue(e.getMessage().contains(secret), e.getMessage());
  }

  @Test
  void wrongPasswordInTheSecretFailsWith28P01() throws Exception {
    String role = uniqueRole("wrong");
    String rightPassword = password(role);
    String wrongPassword = password(role) + "-wrong";
    createRole(role, rightPassword);
    String secret = uniqueSecret("wrong-password");
    createSecret(secret, secretJson(role, wrongPassword));

    SQLException e =
        assertThrows(SQLException.class, () -> DriverManager.getConnection(url(secret)).close());
    assertEquals("28P01", e.getSQLState(), e.getMessage());
    assertTrue(e.getMessage().contains(secret), e.getMessage());
    assertFalse(e.getMessage().contains(wrongPassword), "password in the message");
  }

  // ---------------------------------------------------------------- helpers

  /**
   * The URL users write, pointed at LocalStack. {@code environment=production} keeps a stray {@code
   * ENVIRONMENT=test} on the machine from diverting to DATABASE_URL, and {@code
   * fallbackToDatabaseUrl=false} keeps a stray DATABASE_URL from masking a missing secret.
   */
  private static String url(String secret) {
    return "jdbc:pazpaz-secrets:"
        + secret
        + "?endpoint="
        + LOCALSTACK.getEndpoint()
        + "&region="
        + LOCALSTACK.getRegion()
        + "&sslmode="
        + sslMode()
        + "&environment=production&fallbackToDatabaseUrl=false";
  }

  /**
   * verify-full (the production default) when the container is reached through a loopback name the
   * certificate is for (localhost, 127.0.0.1, ::1: the usual case). On a remote Docker host the
   * name is not in the certificate, so verify the chain only (verify-ca, also allowed in
   * production).
   */
  private static String sslMode() {
    String host = POSTGRES.getHost().toLowerCase(Locale.ROOT);
    return Set.of("localhost", "127.0.0.1", "::1", "[::1]").contains(host)
        ? "verify-full"
        : "verify-ca";
  }

  private static String secretJson(String role, String password) throws IOException {
    Map<String, Object> secret = new LinkedHashMap<>();
    secret.put("username", role);
    secret.put("password", password);
    secret.put("host", POSTGRES.getHost());
    secret.put("port", POSTGRES.getMappedPort(PostgreSQLContainer.POSTGRESQL_PORT));
    secret.put("database", POSTGRES.getDatabaseName());
    secret.put("ssl_cert_path", CA_CERTIFICATE.toString());
    secret.put("engine", "postgres");
    return JSON.writeValueAsString(secret);
  }

  private static void createSecret(String name, String json) {
    secretsManager.createSecret(request -> request.name(name).secretString(json));
  }

  /** A login role with a SCRAM password, made as the container's superuser. */
  private static void createRole(String role, String password) throws SQLException {
    try (Connection admin = superuser();
        Statement statement = admin.createStatement()) {
      statement.execute("CREATE ROLE " + quote(role) + " LOGIN");
    }
    alterPassword(role, password);
  }

  /**
   * ALTER ROLE ... PASSWORD as the superuser; pgjdbc hashes the password on the client, so the
   * clear text never reaches the server's logs.
   */
  private static void alterPassword(String role, String password) throws SQLException {
    try (Connection admin = superuser()) {
      admin.unwrap(PGConnection.class).alterUserPassword(role, password.toCharArray(), SCRAM);
    }
  }

  private static Connection superuser() throws SQLException {
    return DriverManager.getConnection(
        POSTGRES.getJdbcUrl(), POSTGRES.getUsername(), POSTGRES.getPassword());
  }

  private static String queryString(Connection connection, String sql) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery(sql)) {
      result.next();
      return result.getString(1);
    }
  }

  private static String uniqueRole(String prefix) {
    return prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
  }

  private static String uniqueSecret(String prefix) {
    return "pazpaz/containers/" + prefix + "-" + UUID.randomUUID();
  }

  private static String password(String role) {
    return "pw-" + role + "-" + UUID.randomUUID() + "-x9Q2mZ7kLr3";
  }

  private static String quote(String identifier) {
    return "\"" + identifier.replace("\"", "\"\"") + "\"";
  }

  private static byte[] readCertificate() {
    try {
      return Files.readAllBytes(CA_CERTIFICATE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
