package com.pazpaz.secrets.jdbc;

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

import com.pazpaz.secrets.jdbc.testing.LogCapture;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Issue 2, point 4: a rotated password needs no restart. */
@ExtendWith(NoPasswordsInLogs.class)
class RotationTest {

  @Test
  void nextConnectionAfterARotationSucceedsAndOpenOnesKeepWorking() throws Exception {
    String role = unique("rotated");
    String oldPassword = password(role);
    String newPassword = password(role);
    createRole(role, oldPassword);
    String secret = unique("rotation");
    secretsManager().createSecret(secret, secretJson(role, oldPassword));
    PazPazSecretsDriver driver = isolatedDriver();

    try (LogCapture logs = LogCapture.finest();
        Connection before = driver.connect(url(secret), new Properties())) {
      postgres().alterPassword(role, newPassword);
      secretsManager().putSecretValue(secret, secretJson(role, newPassword));

      try (Connection after = driver.connect(url(secret), new Properties())) {
        assertEquals(role, queryString(after, "SELECT current_user"));
      }
      assertEquals(role, queryString(before, "SELECT current_user"));
      // The first read, then one forced read that found the new version.
      assertEquals(2, secretsManager().calls("GetSecretValue", secret));
      assertEquals(1, logs.linesContaining("credentials_refreshed_after_auth_failure").size());
      // Later connects use the refreshed cache without another call.
      driver.connect(url(secret), new Properties()).close();
      assertEquals(2, secretsManager().calls("GetSecretValue", secret));
      assertTrue(logs.linesContaining(oldPassword).isEmpty(), "old password in logs");
      assertTrue(logs.linesContaining(newPassword).isEmpty(), "new password in logs");
    }
  }

  @Test
  void poolKeepsServingThroughARotation() throws Exception {
    String role = unique("pooled");
    String oldPassword = password(role);
    String newPassword = password(role);
    createRole(role, oldPassword);
    String secret = unique("pool-rotation");
    secretsManager().createSecret(secret, secretJson(role, oldPassword));

    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(url(secret));
    config.setMaximumPoolSize(3);
    config.setMinimumIdle(3);
    try (HikariDataSource pool = new HikariDataSource(config)) {
      try (Connection connection = pool.getConnection()) {
        assertEquals(role, queryString(connection, "SELECT current_user"));
      }
      postgres().alterPassword(role, newPassword);
      secretsManager().putSecretValue(secret, secretJson(role, newPassword));
      // Open connections keep working; evicting them forces new logins with the new password.
      try (Connection connection = pool.getConnection()) {
        assertEquals(role, queryString(connection, "SELECT current_user"));
        pool.getHikariPoolMXBean().softEvictConnections();
      }
      for (int i = 0; i < 6; i++) {
        try (Connection connection = pool.getConnection()) {
          assertEquals("1", queryString(connection, "SELECT 1"));
        }
      }
    }
  }

  @Test
  void databaseChangedButSecretNotYetPromotedIsRescuedByAwsPending() throws Exception {
    // The window of AWS's rotation between setSecret (ALTER ROLE) and finishSecret.
    String role = unique("pending");
    String oldPassword = password(role);
    String newPassword = password(role);
    createRole(role, oldPassword);
    String secret = unique("pending-window");
    secretsManager().createSecret(secret, secretJson(role, oldPassword));
    PazPazSecretsDriver driver = isolatedDriver();
    driver.connect(url(secret), new Properties()).close();

    String pending =
        secretsManager().putSecretValue(secret, secretJson(role, newPassword), "AWSPENDING");
    long mark = postgres().serverLog().mark();
    postgres().alterPassword(role, newPassword);
    try (LogCapture logs = LogCapture.finest()) {
      for (int i = 0; i < 3; i++) {
        try (Connection connection = driver.connect(url(secret), new Properties())) {
          assertEquals(role, queryString(connection, "SELECT current_user"));
        }
      }
      // The first connect is rescued; the next ones log in with the pending login it remembered.
      List<String> rescues = logs.linesContaining("credentials_refreshed_after_auth_failure");
      assertEquals(1, rescues.size(), rescues.toString());
      List<String> windows = logs.linesContaining("rotation_window_detected");
      assertEquals(1, windows.size(), windows.toString());
      assertTrue(windows.get(0).contains("version=" + pending), windows.get(0));
    }
    assertEquals(1, postgres().serverLog().rejectedLogins(role, mark));
    // First read, forced AWSCURRENT read (unchanged), one AWSPENDING read; nothing more.
    assertEquals(3, secretsManager().calls("GetSecretValue", secret));
  }

  @Test
  void passwordThatStaysWrongFailsWith28P01NamingTheSecretAndVersion() throws Exception {
    String role = unique("wrong");
    String rightPassword = password(role);
    String wrongPassword = password(role);
    createRole(role, rightPassword);
    String secret = unique("wrong-password");
    secretsManager().createSecret(secret, secretJson(role, wrongPassword));
    String version = secretsManager().versionId(secret, "AWSCURRENT");
    SQLException e =
        assertThrows(
            SQLException.class, () -> isolatedDriver().connect(url(secret), new Properties()));
    assertEquals("28P01", e.getSQLState());
    assertTrue(e.getMessage().contains("'" + secret + "'"), e.getMessage());
    assertTrue(e.getMessage().contains(version), e.getMessage());
    assertEquals("28P01", ((SQLException) e.getCause()).getSQLState());
    assertFalse(DriverTestSupport.mentions(e, wrongPassword));
    assertFalse(DriverTestSupport.mentions(e, rightPassword));
  }
}
