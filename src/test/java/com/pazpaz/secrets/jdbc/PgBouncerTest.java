package com.pazpaz.secrets.jdbc;

import static com.pazpaz.secrets.jdbc.DriverTestSupport.DATABASE;
import static com.pazpaz.secrets.jdbc.DriverTestSupport.postgres;
import static com.pazpaz.secrets.jdbc.DriverTestSupport.queryString;
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
    // The secret itself names PgBouncer: what a deployment behind it stores.
    TestDeployment app =
        TestDeployment.builder("bounced")
            .secret(s -> s.with("host", pgBouncer.host()).with("port", pgBouncer.port()))
            .create();

    // Production defaults: sslmode=verify-full against the secret's CA, which PgBouncer passes.
    try (Connection connection = app.driver().connect(app.url(), new Properties())) {
      assertEquals(app.role(), queryString(connection, "SELECT current_user"));
      assertEquals(DATABASE, queryString(connection, "SELECT current_database()"));
      assertTrue(
          connection.getMetaData().getURL().contains(":" + pgBouncer.port() + "/"),
          connection.getMetaData().getURL());
    }
    assertEquals(1, secretReads(app));
  }

  @Test
  void nextConnectionAfterARotationSucceedsAndOpenOnesKeepWorking() throws Exception {
    TestDeployment app = TestDeployment.create("bounced_rotated");
    String newPassword = app.newPassword();

    try (LogCapture logs = LogCapture.finest();
        Connection before = connectThroughPgBouncer(app)) {
      app.alterPassword(newPassword);
      app.storeVersion(newPassword);

      try (Connection after = connectThroughPgBouncer(app)) {
        assertEquals(app.role(), queryString(after, "SELECT current_user"));
      }
      assertEquals(app.role(), queryString(before, "SELECT current_user"));
      // The first read, then one forced read that found the new version.
      assertEquals(2, secretReads(app));
      assertEquals(1, logs.linesContaining("credentials_refreshed_after_auth_failure").size());
      connectThroughPgBouncer(app).close();
      assertEquals(2, secretReads(app));
    }
  }

  @Test
  void databaseChangedButSecretNotYetPromotedIsRescuedByAwsPending() throws Exception {
    TestDeployment app = TestDeployment.create("bounced_pending");
    String newPassword = app.newPassword();
    connectThroughPgBouncer(app).close();

    // The window of a rotation between setSecret (ALTER ROLE) and finishSecret.
    app.storeVersion(newPassword, "AWSPENDING");
    app.alterPassword(newPassword);
    try (LogCapture logs = LogCapture.finest()) {
      for (int i = 0; i < 3; i++) {
        try (Connection connection = connectThroughPgBouncer(app)) {
          assertEquals(app.role(), queryString(connection, "SELECT current_user"));
        }
      }
      List<String> rescues = logs.linesContaining("credentials_refreshed_after_auth_failure");
      assertEquals(
          1, rescues.stream().filter(line -> line.contains(" INFO ")).count(), "" + rescues);
      assertTrue(rescues.stream().allMatch(line -> line.contains("AWSPENDING")), "" + rescues);
    }
    // First read, forced AWSCURRENT read (unchanged), one AWSPENDING read.
    assertEquals(3, secretReads(app));
  }

  @Test
  void passwordThatStaysWrongFailsWith28P01NamingTheSecretAndVersion() throws Exception {
    TestDeployment app = TestDeployment.builder("bounced_wrong").secretWithWrongPassword().create();
    String rightPassword = app.password();
    String wrongPassword = app.storedSecret().password();
    String version = app.versionId("AWSCURRENT");

    SQLException e = assertThrows(SQLException.class, () -> connectThroughPgBouncer(app));
    assertEquals("28P01", e.getSQLState());
    assertTrue(e.getMessage().contains("'" + app.secretId() + "'"), e.getMessage());
    assertTrue(e.getMessage().contains(version), e.getMessage());
    // The cause is PgBouncer's own rejection, as pgjdbc reports it.
    SQLException cause = (SQLException) e.getCause();
    assertEquals("08P01", cause.getSQLState());
    assertTrue(cause.getMessage().contains("SASL authentication failed"), cause.getMessage());
    // The driver read the secret again (and its AWSPENDING stage) before giving up.
    assertEquals(3, secretReads(app));
    assertFalse(DriverTestSupport.mentions(e, wrongPassword));
    assertFalse(DriverTestSupport.mentions(e, rightPassword));
  }

  @Test
  void postgresRefusingPgBouncersServerLoginIsALoginFailureToo() throws Exception {
    // PgBouncer accepts the password (it matches the verifier), PostgreSQL refuses the server
    // login (the role's password expired); PgBouncer passes PostgreSQL's text on as 08P01.
    TestDeployment app = TestDeployment.create("bounced_expired");
    try (Connection admin = postgres().adminConnection();
        Statement statement = admin.createStatement()) {
      statement.execute("ALTER ROLE " + app.role() + " VALID UNTIL '2000-01-01'");
    }

    SQLException e = assertThrows(SQLException.class, () -> connectThroughPgBouncer(app));
    assertEquals("28P01", e.getSQLState());
    assertTrue(e.getMessage().contains("'" + app.secretId() + "'"), e.getMessage());
    SQLException cause = (SQLException) e.getCause();
    assertEquals("08P01", cause.getSQLState());
    assertTrue(
        cause.getMessage().contains("password authentication failed for user"), cause.getMessage());
    assertFalse(DriverTestSupport.mentions(e, app.password()));
  }

  /**
   * A connection by the deployment's driver in the {@code //HOST} form: PgBouncer's endpoint from
   * the URL, the credentials from the secret (which names PostgreSQL itself).
   */
  private Connection connectThroughPgBouncer(TestDeployment app) throws SQLException {
    String url =
        "jdbc:pazpaz-secrets://"
            + pgBouncer.host()
            + ":"
            + pgBouncer.port()
            + "/"
            + DATABASE
            + "?secretId="
            + app.secretId()
            + "&endpoint="
            + app.secretsManager().endpoint()
            + "&region="
            + app.secretsManager().region();
    return app.driver().connect(url, new Properties());
  }

  /** The GetSecretValue calls the local Secrets Manager answered for the deployment's secret. */
  private static int secretReads(TestDeployment app) {
    return app.secretsManager().calls("GetSecretValue", app.secretId());
  }
}
