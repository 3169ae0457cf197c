package com.pazpaz.secrets.jdbc;

import static com.pazpaz.secrets.jdbc.DriverTestSupport.DATABASE;
import static com.pazpaz.secrets.jdbc.DriverTestSupport.createRole;
import static com.pazpaz.secrets.jdbc.DriverTestSupport.isolatedDriver;
import static com.pazpaz.secrets.jdbc.DriverTestSupport.password;
import static com.pazpaz.secrets.jdbc.DriverTestSupport.postgres;
import static com.pazpaz.secrets.jdbc.DriverTestSupport.queryString;
import static com.pazpaz.secrets.jdbc.DriverTestSupport.secretJson;
import static com.pazpaz.secrets.jdbc.DriverTestSupport.secretsManager;
import static com.pazpaz.secrets.jdbc.DriverTestSupport.unique;
import static com.pazpaz.secrets.jdbc.DriverTestSupport.url;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.pazpaz.secrets.jdbc.testing.LogCapture;
import com.pazpaz.secrets.jdbc.testing.TestPgBouncer;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The driver through PgBouncer (client TLS verified, SCRAM checked by PgBouncer against the
 * verifier {@code auth_query} reads from the database): the same guarantees as directly. PgBouncer
 * reports a refused password as 08P01 "SASL authentication failed", not 28P01; the driver must
 * still see a rejected login, re-read the secret and, when it gives up, say 28P01 naming the
 * secret.
 */
@ExtendWith(NoPasswordsInLogs.class)
class PgBouncerTest {

  private TestPgBouncer pgBouncer;

  // Per test, not in @BeforeAll: surefire reports an assumption failed there as no tests at all,
  // here each test is reported skipped with the reason.
  @BeforeEach
  void startPgBouncer() {
    assumeTrue(TestPgBouncer.installed(), TestPgBouncer.NOT_INSTALLED);
    pgBouncer = TestPgBouncer.get();
    pgBouncer.serveDatabase(DATABASE);
    DriverTestSupport.rememberPassword(pgBouncer.authUserPassword());
  }

  @Test
  void connectsThroughPgBouncerWithVerifiedTls() throws Exception {
    String role = unique("bounced");
    String password = password(role);
    createRole(role, password);
    // The secret itself names PgBouncer: what a deployment behind it stores.
    String secret = unique("pgbouncer-secret");
    secretsManager().createSecret(secret, secretThroughPgBouncer(role, password));

    // Production defaults: sslmode=verify-full against the secret's CA, which PgBouncer passes.
    try (Connection connection = isolatedDriver().connect(url(secret), new Properties())) {
      assertEquals(role, queryString(connection, "SELECT current_user"));
      assertEquals(DATABASE, queryString(connection, "SELECT current_database()"));
      assertTrue(
          connection.getMetaData().getURL().contains(":" + pgBouncer.port() + "/"),
          connection.getMetaData().getURL());
    }
    assertEquals(1, secretsManager().calls("GetSecretValue", secret));
  }

  @Test
  void nextConnectionAfterARotationSucceedsAndOpenOnesKeepWorking() throws Exception {
    String role = unique("bounced_rotated");
    String oldPassword = password(role);
    String newPassword = password(role);
    createRole(role, oldPassword);
    String secret = unique("pgbouncer-rotation");
    secretsManager().createSecret(secret, secretJson(role, oldPassword));
    PazPazSecretsDriver driver = isolatedDriver();

    try (LogCapture logs = LogCapture.finest();
        Connection before = driver.connect(throughPgBouncer(secret), new Properties())) {
      postgres().alterPassword(role, newPassword);
      secretsManager().putSecretValue(secret, secretJson(role, newPassword));

      try (Connection after = driver.connect(throughPgBouncer(secret), new Properties())) {
        assertEquals(role, queryString(after, "SELECT current_user"));
      }
      assertEquals(role, queryString(before, "SELECT current_user"));
      // The first read, then one forced read that found the new version.
      assertEquals(2, secretsManager().calls("GetSecretValue", secret));
      assertEquals(1, logs.linesContaining("credentials_refreshed_after_auth_failure").size());
      driver.connect(throughPgBouncer(secret), new Properties()).close();
      assertEquals(2, secretsManager().calls("GetSecretValue", secret));
    }
  }

  @Test
  void databaseChangedButSecretNotYetPromotedIsRescuedByAwsPending() throws Exception {
    String role = unique("bounced_pending");
    String oldPassword = password(role);
    String newPassword = password(role);
    createRole(role, oldPassword);
    String secret = unique("pgbouncer-pending");
    secretsManager().createSecret(secret, secretJson(role, oldPassword));
    PazPazSecretsDriver driver = isolatedDriver();
    driver.connect(throughPgBouncer(secret), new Properties()).close();

    // The window of a rotation between setSecret (ALTER ROLE) and finishSecret.
    secretsManager().putSecretValue(secret, secretJson(role, newPassword), "AWSPENDING");
    postgres().alterPassword(role, newPassword);
    try (LogCapture logs = LogCapture.finest()) {
      for (int i = 0; i < 3; i++) {
        try (Connection connection = driver.connect(throughPgBouncer(secret), new Properties())) {
          assertEquals(role, queryString(connection, "SELECT current_user"));
        }
      }
      List<String> rescues = logs.linesContaining("credentials_refreshed_after_auth_failure");
      assertEquals(
          1, rescues.stream().filter(line -> line.contains(" INFO ")).count(), "" + rescues);
      assertTrue(rescues.stream().allMatch(line -> line.contains("AWSPENDING")), "" + rescues);
    }
    // First read, forced AWSCURRENT read (unchanged), one AWSPENDING read.
    assertEquals(3, secretsManager().calls("GetSecretValue", secret));
  }

  @Test
  void passwordThatStaysWrongFailsWith28P01NamingTheSecretAndVersion() throws Exception {
    String role = unique("bounced_wrong");
    String rightPassword = password(role);
    String wrongPassword = password(role);
    createRole(role, rightPassword);
    String secret = unique("pgbouncer-wrong");
    secretsManager().createSecret(secret, secretJson(role, wrongPassword));
    String version = secretsManager().versionId(secret, "AWSCURRENT");

    SQLException e =
        assertThrows(
            SQLException.class,
            () -> isolatedDriver().connect(throughPgBouncer(secret), new Properties()));
    assertEquals("28P01", e.getSQLState());
    assertTrue(e.getMessage().contains("'" + secret + "'"), e.getMessage());
    assertTrue(e.getMessage().contains(version), e.getMessage());
    // The cause is PgBouncer's own rejection, as pgjdbc reports it.
    SQLException cause = (SQLException) e.getCause();
    assertEquals("08P01", cause.getSQLState());
    assertTrue(cause.getMessage().contains("SASL authentication failed"), cause.getMessage());
    // The driver read the secret again (and its AWSPENDING stage) before giving up.
    assertEquals(3, secretsManager().calls("GetSecretValue", secret));
    assertFalse(DriverTestSupport.mentions(e, wrongPassword));
    assertFalse(DriverTestSupport.mentions(e, rightPassword));
  }

  @Test
  void postgresRefusingPgBouncersServerLoginIsALoginFailureToo() throws Exception {
    // PgBouncer accepts the password (it matches the verifier), PostgreSQL refuses the server
    // login (the role's password expired); PgBouncer passes PostgreSQL's text on as 08P01.
    String role = unique("bounced_expired");
    String password = password(role);
    createRole(role, password);
    try (Connection admin = postgres().adminConnection();
        Statement statement = admin.createStatement()) {
      statement.execute("ALTER ROLE " + role + " VALID UNTIL '2000-01-01'");
    }
    String secret = unique("pgbouncer-expired");
    secretsManager().createSecret(secret, secretJson(role, password));

    SQLException e =
        assertThrows(
            SQLException.class,
            () -> isolatedDriver().connect(throughPgBouncer(secret), new Properties()));
    assertEquals("28P01", e.getSQLState());
    assertTrue(e.getMessage().contains("'" + secret + "'"), e.getMessage());
    SQLException cause = (SQLException) e.getCause();
    assertEquals("08P01", cause.getSQLState());
    assertTrue(
        cause.getMessage().contains("password authentication failed for user"), cause.getMessage());
    assertFalse(DriverTestSupport.mentions(e, password));
  }

  /**
   * The {@code //HOST} form: PgBouncer's endpoint from the URL, the credentials from the secret.
   */
  private String throughPgBouncer(String secretId) {
    return "jdbc:pazpaz-secrets://"
        + pgBouncer.host()
        + ":"
        + pgBouncer.port()
        + "/"
        + DATABASE
        + "?secretId="
        + secretId
        + "&endpoint="
        + secretsManager().endpoint()
        + "&region="
        + secretsManager().region();
  }

  private String secretThroughPgBouncer(String role, String password) {
    return secretJson(role, password)
        .replace("\"port\":" + postgres().port() + ",", "\"port\":" + pgBouncer.port() + ",");
  }
}
