package com.pazpaz.secrets.jdbc.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Proves, with plain pgjdbc, that the fixture is the server the driver tests rely on. */
class TestPostgresTest {

  private static final String DATABASE = "fixture_check";

  private static TestPostgres pg;

  @BeforeAll
  static void startServer() {
    pg = TestPostgres.get();
    pg.createDatabase(DATABASE);
  }

  @Test
  void appRoleLogsInOverVerifiedTlsWithScramPassword() throws SQLException {
    pg.createRole("fixture_login", "s3cret'pass", DATABASE);

    try (Connection connection = connect("fixture_login", "s3cret'pass", pg.tlsProperties())) {
      assertTrue(
          queryBoolean(connection, "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()"));
      assertEquals("scram-sha-256", queryString(connection, "SHOW password_encryption"));
      // The grant on schema public lets the role create tables (PostgreSQL 15+ needs it).
      execute(connection, "CREATE TABLE login_probe (id int)");
      execute(connection, "DROP TABLE login_probe");
    }
    try (Connection admin = pg.adminConnection();
        PreparedStatement statement =
            admin.prepareStatement("SELECT rolpassword FROM pg_authid WHERE rolname = ?")) {
      statement.setString(1, "fixture_login");
      try (ResultSet rows = statement.executeQuery()) {
        assertTrue(rows.next());
        assertTrue(rows.getString(1).startsWith("SCRAM-SHA-256$"));
      }
    }
  }

  @Test
  void wrongPasswordFailsWith28P01() {
    pg.createRole("fixture_wrong_password", "right", DATABASE);

    assertLoginFails("28P01", "fixture_wrong_password", "wrong", pg.tlsProperties());
  }

  @Test
  void appRoleWithoutTlsFailsWith28000() {
    pg.createRole("fixture_no_tls", "secret", DATABASE);
    Properties plain = new Properties();
    plain.setProperty("sslmode", "disable");

    assertLoginFails("28000", "fixture_no_tls", "secret", plain);
  }

  @Test
  void verifyFullWithJdkDefaultTrustFails() {
    pg.createRole("fixture_jdk_trust", "secret", DATABASE);
    Properties jdkTrust = new Properties();
    jdkTrust.setProperty("sslmode", "verify-full");
    jdkTrust.setProperty("sslfactory", "org.postgresql.ssl.DefaultJavaSSLFactory");

    // 08006 (connection failure): the JDK's cacerts does not contain the generated certificate.
    assertLoginFails("08006", "fixture_jdk_trust", "secret", jdkTrust);
  }

  @Test
  void verifyFullWithoutRootCertificateFails() {
    pg.createRole("fixture_no_root_cert", "secret", DATABASE);
    Properties noRootCert = new Properties();
    noRootCert.setProperty("sslmode", "verify-full");

    // 08006: pgjdbc falls back to ~/.postgresql/root.crt, which is missing or holds another CA.
    assertLoginFails("08006", "fixture_no_root_cert", "secret", noRootCert);
  }

  @Test
  void verifyFullWithAnotherCaFails() throws IOException {
    pg.createRole("fixture_other_ca", "secret", DATABASE);
    // Same subject and names as the server's certificate, different key: only the key can tell.
    // It goes next to the real one, under target/ (@TempDir would use /tmp).
    Path dir = pg.caCertificate().getParent();
    Path otherCa =
        SelfSignedCertificate.generateForLocalhost(dir)
            .writeCertificate(dir.resolve("other-ca.crt"));
    Properties wrongCa = pg.tlsProperties();
    wrongCa.setProperty("sslrootcert", otherCa.toString());

    // 08006: the PKIX path check fails during the TLS handshake.
    assertLoginFails("08006", "fixture_other_ca", "secret", wrongCa);
  }

  @Test
  void alterPasswordRejectsOldPasswordAndKeepsOpenSessions() throws SQLException {
    String role = "fixture_rotation";
    pg.createRole(role, "old'password", DATABASE);

    try (Connection openedBefore = connect(role, "old'password", pg.tlsProperties())) {
      pg.alterPassword(role, "new'password");

      assertLoginFails("28P01", role, "old'password", pg.tlsProperties());
      try (Connection openedAfter = connect(role, "new'password", pg.tlsProperties())) {
        assertEquals("1", queryString(openedAfter, "SELECT 1"));
      }
      assertEquals("1", queryString(openedBefore, "SELECT 1"));
    }
  }

  @Test
  void serverLogCountsRefusedLoginsPerRole() throws SQLException {
    String role = "fixture_logged";
    pg.createRole(role, "right", DATABASE);
    pg.createRole("fixture_logged_other", "right", DATABASE);
    PostgresServerLog log = pg.serverLog();
    long mark = log.mark();

    assertLoginFails("28P01", role, "wrong", pg.tlsProperties());
    assertLoginFails("28P01", role, "wrong again", pg.tlsProperties());
    assertLoginFails("28P01", "fixture_logged_other", "wrong", pg.tlsProperties());
    connect(role, "right", pg.tlsProperties()).close();
    try (Connection admin = pg.adminConnection()) {
      execute(admin, "ALTER ROLE " + role + " NOLOGIN");
    }
    assertLoginFails("28000", role, "right", pg.tlsProperties());

    assertEquals(3, log.rejectedLogins(role, mark));
    assertEquals(1, log.rejectedLogins("fixture_logged_other", mark));
    assertEquals(0, log.rejectedLogins(role, log.mark()));
  }

  @Test
  void createRoleAgainResetsThePassword() throws SQLException {
    String role = "fixture_recreated";
    pg.createRole(role, "first", DATABASE);
    pg.createRole(role, "second", DATABASE);

    assertLoginFails("28P01", role, "first", pg.tlsProperties());
    try (Connection connection = connect(role, "second", pg.tlsProperties())) {
      assertEquals(role, queryString(connection, "SELECT current_user"));
    }
  }

  @Test
  void awkwardNamesAndPasswordsAreQuoted() throws SQLException {
    String database = "fixture odd-db \"x\"";
    String role = "fixture \"odd\" role";
    String password = "it's a \"pass\" \\ word; --";
    pg.createDatabase(database);
    pg.createDatabase(database);
    pg.createRole(role, password, database);

    Properties properties = pg.tlsProperties();
    properties.setProperty("user", role);
    properties.setProperty("password", password);
    try (Connection connection = DriverManager.getConnection(pg.jdbcUrl(database), properties)) {
      assertEquals(database, queryString(connection, "SELECT current_database()"));
      assertEquals(role, queryString(connection, "SELECT current_user"));
    }
  }

  @Test
  void getReturnsTheSameInstance() {
    assertSame(pg, TestPostgres.get());
    assertSame(TestPostgres.get(), TestPostgres.get());
    assertEquals("localhost", pg.host());
    assertEquals("jdbc:postgresql://localhost:" + pg.port() + "/" + DATABASE, pg.jdbcUrl(DATABASE));
  }

  private static Connection connect(String user, String password, Properties settings)
      throws SQLException {
    Properties properties = new Properties();
    properties.putAll(settings);
    properties.setProperty("user", user);
    properties.setProperty("password", password);
    return DriverManager.getConnection(pg.jdbcUrl(DATABASE), properties);
  }

  private static void assertLoginFails(
      String sqlState, String user, String password, Properties settings) {
    SQLException failure =
        assertThrows(SQLException.class, () -> connect(user, password, settings).close());
    assertEquals(sqlState, failure.getSQLState(), failure::toString);
  }

  private static boolean queryBoolean(Connection connection, String sql) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery(sql)) {
      assertTrue(rows.next());
      return rows.getBoolean(1);
    }
  }

  private static String queryString(Connection connection, String sql) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery(sql)) {
      assertTrue(rows.next());
      return rows.getString(1);
    }
  }

  private static void execute(Connection connection, String sql) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }
}
