package com.example.hikaricp;

import com.pazpaz.secrets.jdbc.testing.LocalSecretsManager;
import com.pazpaz.secrets.jdbc.testing.TestPostgres;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Test only: what AWS and RDS are in production. An embedded PostgreSQL 17 (TLS, SCRAM) with role
 * {@value #ROLE}, and a local Secrets Manager endpoint holding its credentials as secret {@value
 * #SECRET}. The driver is pointed at the endpoint with the system properties {@code
 * pazpaz.secrets.endpoint} and {@code pazpaz.secrets.region} (in a deployment: nothing, or {@code
 * AWS_ENDPOINT_URL_SECRETS_MANAGER} and {@code AWS_REGION}).
 */
final class EmbeddedServers implements AutoCloseable {

  static final String SECRET = "pazpaz/database-credentials";
  static final String ROLE = "clinic_app";
  static final String DATABASE = "clinic";

  final TestPostgres postgres;
  final LocalSecretsManager secretsManager;

  private EmbeddedServers(TestPostgres postgres, LocalSecretsManager secretsManager) {
    this.postgres = postgres;
    this.secretsManager = secretsManager;
  }

  static EmbeddedServers start() {
    TestPostgres postgres = TestPostgres.get();
    LocalSecretsManager secretsManager = LocalSecretsManager.start();
    String password = randomPassword();
    postgres.createRole(ROLE, password, DATABASE);
    secretsManager.createSecret(SECRET, secretJson(postgres, password));
    System.setProperty("pazpaz.secrets.endpoint", secretsManager.endpoint().toString());
    System.setProperty("pazpaz.secrets.region", secretsManager.region());
    return new EmbeddedServers(postgres, secretsManager);
  }

  @Override
  public void close() {
    System.clearProperty("pazpaz.secrets.endpoint");
    System.clearProperty("pazpaz.secrets.region");
    secretsManager.close();
  }

  private static String secretJson(TestPostgres postgres, String password) {
    return """
    {"username": "%s", "password": "%s", "host": "%s", "port": %d,
     "database": "%s", "ssl_cert_path": "%s"}\
    """
        .formatted(
            ROLE, password, postgres.host(), postgres.port(), DATABASE, postgres.caCertificate());
  }

  private static String randomPassword() {
    byte[] bytes = new byte[30];
    new SecureRandom().nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
