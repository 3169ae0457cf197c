package com.pazpaz.secrets.jdbc;

import static com.pazpaz.secrets.jdbc.DriverTestSupport.postgres;
import static com.pazpaz.secrets.jdbc.DriverTestSupport.queryString;
import static com.pazpaz.secrets.jdbc.DriverTestSupport.secretsManager;
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

/** A rotated password needs no restart. */
@ExtendWith(NoPasswordsInLogs.class)
class RotationTest {

  @Test
  void nextConnectionAfterARotationSucceedsAndOpenOnesKeepWorking() throws Exception {
    TestDeployment app = TestDeployment.create("rotated");
    String newPassword = app.newPassword();
    PazPazSecretsDriver driver = app.driver();

    try (LogCapture logs = LogCapture.finest();
        Connection before = driver.connect(app.url(), new Properties())) {
      app.alterPassword(newPassword);
      app.storeVersion(newPassword);

      try (Connection after = driver.connect(app.url(), new Properties())) {
        assertEquals(app.role(), queryString(after, "SELECT current_user"));
      }
      assertEquals(app.role(), queryString(before, "SELECT current_user"));
      // The first read, then one forced read that found the new version.
      assertEquals(2, secretsManager().calls("GetSecretValue", app.secretId()));
      assertEquals(1, logs.linesContaining("credentials_refreshed_after_auth_failure").size());
      // Later connects use the refreshed cache without another call.
      driver.connect(app.url(), new Properties()).close();
      assertEquals(2, secretsManager().calls("GetSecretValue", app.secretId()));
      assertTrue(logs.linesContaining(app.password()).isEmpty(), "old password in logs");
      assertTrue(logs.linesContaining(newPassword).isEmpty(), "new password in logs");
    }
  }

  @Test
  void poolKeepsServingThroughARotation() throws Exception {
    TestDeployment app = TestDeployment.create("pooled");
    String newPassword = app.newPassword();

    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(app.url());
    config.setMaximumPoolSize(3);
    config.setMinimumIdle(3);
    try (HikariDataSource pool = new HikariDataSource(config)) {
      try (Connection connection = pool.getConnection()) {
        assertEquals(app.role(), queryString(connection, "SELECT current_user"));
      }
      app.alterPassword(newPassword);
      app.storeVersion(newPassword);
      // Open connections keep working; evicting them forces new logins with the new password.
      try (Connection connection = pool.getConnection()) {
        assertEquals(app.role(), queryString(connection, "SELECT current_user"));
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
    TestDeployment app = TestDeployment.create("pending");
    String newPassword = app.newPassword();
    PazPazSecretsDriver driver = app.driver();
    driver.connect(app.url(), new Properties()).close();

    String pending = app.storeVersion(newPassword, "AWSPENDING");
    long mark = postgres().serverLog().mark();
    app.alterPassword(newPassword);
    try (LogCapture logs = LogCapture.finest()) {
      for (int i = 0; i < 3; i++) {
        try (Connection connection = driver.connect(app.url(), new Properties())) {
          assertEquals(app.role(), queryString(connection, "SELECT current_user"));
        }
      }
      // The first connect is rescued; the next ones log in with the pending login it remembered.
      List<String> rescues = logs.linesContaining("credentials_refreshed_after_auth_failure");
      assertEquals(1, rescues.size(), rescues.toString());
      List<String> windows = logs.linesContaining("rotation_window_detected");
      assertEquals(1, windows.size(), windows.toString());
      assertTrue(windows.get(0).contains("version=" + pending), windows.get(0));
    }
    assertEquals(1, postgres().serverLog().rejectedLogins(app.role(), mark));
    // First read, forced AWSCURRENT read (unchanged), one AWSPENDING read; nothing more.
    assertEquals(3, secretsManager().calls("GetSecretValue", app.secretId()));
  }

  @Test
  void passwordThatStaysWrongFailsWith28P01NamingTheSecretAndVersion() throws Exception {
    TestDeployment app = TestDeployment.builder("wrong").secretWithWrongPassword().create();
    String wrongPassword = app.storedSecret().password();
    String secret = app.secretId();
    String version = app.versionId("AWSCURRENT");
    SQLException e =
        assertThrows(SQLException.class, () -> app.driver().connect(app.url(), new Properties()));
    assertEquals("28P01", e.getSQLState());
    assertTrue(e.getMessage().contains("'" + secret + "'"), e.getMessage());
    assertTrue(e.getMessage().contains(version), e.getMessage());
    assertEquals("28P01", ((SQLException) e.getCause()).getSQLState());
    assertFalse(DriverTestSupport.mentions(e, wrongPassword));
    assertFalse(DriverTestSupport.mentions(e, app.password()));
  }
}
