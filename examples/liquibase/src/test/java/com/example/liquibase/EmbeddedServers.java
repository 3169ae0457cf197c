package com.example.liquibase;

import com.pazpaz.secrets.jdbc.testing.LocalSecretsManager;
import com.pazpaz.secrets.jdbc.testing.TestPostgres;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Base64;

/**
 * Test only: what AWS and RDS are in production. The embedded PostgreSQL 17 (TLS, SCRAM, one per
 * JVM) with a role and its database, and a local Secrets Manager endpoint of its own holding the
 * role's credentials as secret {@value #SECRET}. The driver finds the endpoint through the system
 * properties {@code pazpaz.secrets.endpoint} and {@code pazpaz.secrets.region} (in a deployment:
 * nothing, or {@code AWS_ENDPOINT_URL_SECRETS_MANAGER} and {@code AWS_REGION}).
 */
final class EmbeddedServers implements AutoCloseable {

  static final String SECRET = "pazpaz/database-credentials";

  final TestPostgres postgres;
  final LocalSecretsManager secretsManager;
  final String role;
  final String database;
  /** The role's password, kept only to check that no output shows it. */
  final String password;

  private EmbeddedServers(
      TestPostgres postgres,
      LocalSecretsManager secretsManager,
      String role,
      String database,
      String password) {
    this.postgres = postgres;
    this.secretsManager = secretsManager;
    this.role = role;
    this.database = database;
    this.password = password;
  }

  static EmbeddedServers start(String role, String database) {
    TestPostgres postgres = TestPostgres.get();
    LocalSecretsManager secretsManager = LocalSecretsManager.start();
    String password = randomPassword();
    postgres.createRole(role, password, database);
    secretsManager.createSecret(SECRET, secretJson(postgres, role, password, database));
    return new EmbeddedServers(postgres, secretsManager, role, database, password);
  }

  /** Points the driver in this JVM at the local endpoint, until {@link #close()}. */
  EmbeddedServers useInThisJvm() {
    System.setProperty("pazpaz.secrets.endpoint", secretsManager.endpoint().toString());
    System.setProperty("pazpaz.secrets.region", secretsManager.region());
    return this;
  }

  /**
   * The driver URL of the secret with this endpoint and region in its query, for a JVM that has
   * no {@code pazpaz.secrets.*} system properties, such as a {@code mvn} run.
   */
  String url() {
    return "jdbc:pazpaz-secrets:"
        + SECRET
        + "?endpoint="
        + secretsManager.endpoint()
        + "&region="
        + secretsManager.region();
  }

  /** The owner of a table, which is the role that created it. */
  String tableOwner(String table) throws SQLException {
    try (Connection admin = postgres.adminConnection(database);
        PreparedStatement statement =
            admin.prepareStatement("SELECT tableowner FROM pg_tables WHERE tablename = ?")) {
      statement.setString(1, table);
      try (ResultSet result = statement.executeQuery()) {
        return result.next() ? result.getString(1) : null;
      }
    }
  }

  @Override
  public void close() {
    System.clearProperty("pazpaz.secrets.endpoint");
    System.clearProperty("pazpaz.secrets.region");
    secretsManager.close();
  }

  private static String secretJson(
      TestPostgres postgres, String role, String password, String database) {
    return """
    {"username": "%s", "password": "%s", "host": "%s", "port": %d,
     "database": "%s", "ssl_cert_path": "%s"}\
    """
        .formatted(
            role, password, postgres.host(), postgres.port(), database, postgres.caCertificate());
  }

  private static String randomPassword() {
    byte[] bytes = new byte[30];
    new SecureRandom().nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
