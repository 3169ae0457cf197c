package com.pazpaz.secrets.jdbc;

import static com.pazpaz.secrets.jdbc.DriverTestSupport.postgres;
import static com.pazpaz.secrets.jdbc.DriverTestSupport.queryString;
import static com.pazpaz.secrets.jdbc.DriverTestSupport.secretsManager;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pazpaz.secrets.jdbc.testing.LocalSecretsManager;
import com.pazpaz.secrets.jdbc.testing.LogCapture;
import com.pazpaz.secrets.jdbc.testing.TestSecret;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.DriverPropertyInfo;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Collections;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.postgresql.PGConnection;

/** Connecting through DriverManager with the secret, every key honoured. */
@ExtendWith(NoPasswordsInLogs.class)
class DriverConnectTest {

  @Test
  void defaultSecretNameConnectsThroughDriverManagerWithVerifiedTls() throws Exception {
    // The literal URL users write; endpoint and region come from system properties here.
    TestDeployment app =
        TestDeployment.builder("app_default").secretId("pazpaz/database-credentials").create();
    System.setProperty("pazpaz.secrets.endpoint", secretsManager().endpoint().toString());
    System.setProperty("pazpaz.secrets.region", secretsManager().region());
    try (LogCapture logs = LogCapture.finest();
        Connection connection =
            DriverManager.getConnection("jdbc:pazpaz-secrets:pazpaz/database-credentials")) {
      assertEquals(app.role(), queryString(connection, "SELECT current_user"));
      assertEquals(
          "t", queryString(connection, "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()"));
      assertEquals("org.postgresql.jdbc.PgConnection", connection.getClass().getName());
      assertTrue(connection.isWrapperFor(PGConnection.class));
      assertInstanceOf(PGConnection.class, connection.unwrap(PGConnection.class));
      assertEquals(
          1,
          logs.linesContaining("database_credentials_fetched_from_aws").size(),
          logs.lines().toString());
      assertTrue(logs.linesContaining(app.password()).isEmpty(), "password in logs");
    } finally {
      System.clearProperty("pazpaz.secrets.endpoint");
      System.clearProperty("pazpaz.secrets.region");
    }
  }

  @Test
  void driverIsRegisteredThroughTheServiceFileAndAcceptsOnlyItsPrefix() throws SQLException {
    Driver driver = DriverManager.getDriver("jdbc:pazpaz-secrets:anything");
    assertInstanceOf(PazPazSecretsDriver.class, driver);
    assertFalse(driver.acceptsURL("jdbc:postgresql://localhost/db"));
    assertNull(driver.connect("jdbc:postgresql://localhost/db", new Properties()));
    assertTrue(
        Collections.list(DriverManager.getDrivers()).stream()
            .anyMatch(PazPazSecretsDriver.class::isInstance));
  }

  @Test
  void verifyFullRejectsAServerTheCaDoesNotVouchFor() throws Exception {
    // The system's trust store file is a CA file that does not hold our test CA.
    TestDeployment app =
        TestDeployment.builder("app_wrong_ca")
            .secret(s -> s.withCaFile("/etc/ssl/certs/ca-certificates.crt"))
            .create();
    try {
      app.driver().connect(app.url(), new Properties()).close();
      throw new AssertionError("connected without a verified certificate");
    } catch (SQLException e) {
      assertEquals("08006", e.getSQLState(), e.getMessage());
      assertFalse(DriverTestSupport.mentions(e, app.password()));
    }
  }

  @Test
  void hostFormTakesTheEndpointFromTheUrlAndTheSecretIdFromTheUser() throws Exception {
    // Only credentials and the CA in the secret: the URL gives the endpoint.
    TestDeployment app =
        TestDeployment.builder("app_hostform")
            .secret(
                s ->
                    TestSecret.credentialsOnly(s.username(), s.password())
                        .withCaFile(postgres().caCertificate()))
            .create();
    String url =
        "jdbc:pazpaz-secrets://"
            + postgres().host()
            + ":"
            + postgres().port()
            + "/"
            + DriverTestSupport.DATABASE
            + "?endpoint="
            + secretsManager().endpoint()
            + "&region="
            + secretsManager().region();
    Properties poolStyle = new Properties();
    poolStyle.setProperty("user", app.secretId());
    poolStyle.setProperty("password", "not-the-database-password");
    try (Connection connection = app.driver().connect(url, poolStyle)) {
      assertEquals(app.role(), queryString(connection, "SELECT current_user"));
      assertEquals(
          DriverTestSupport.DATABASE, queryString(connection, "SELECT current_database()"));
    }
  }

  @Test
  void secretInTheShapeOfRdsManagedSecretsConnects() throws Exception {
    // dbname rather than database, the port as a string, and keys the driver does not use.
    TestDeployment app =
        TestDeployment.builder("app_rds_shape")
            .secret(
                s ->
                    s.withDbnameInsteadOfDatabase()
                        .withPortAsString()
                        .with("dbInstanceIdentifier", "clinic-db")
                        .withJson("proxy", "{\"enabled\":false}"))
            .create();
    try (Connection connection = app.driver().connect(app.url(), new Properties())) {
      assertEquals(app.role(), queryString(connection, "SELECT current_user"));
      assertEquals(
          DriverTestSupport.DATABASE, queryString(connection, "SELECT current_database()"));
    }
  }

  @Test
  void pgjdbcPropertiesPassThroughFromUrlAndProperties() throws Exception {
    TestDeployment app = TestDeployment.create("app_props");
    Properties info = new Properties();
    info.setProperty("options", "-c statement_timeout=1234");
    info.setProperty("ApplicationName", "overridden-by-url");
    try (Connection connection =
        app.driver().connect(app.url("ApplicationName=billing%20api"), info)) {
      assertEquals(
          "billing api",
          queryString(
              connection,
              "SELECT application_name FROM pg_stat_activity WHERE pid = pg_backend_pid()"));
      assertEquals("1234ms", queryString(connection, "SHOW statement_timeout"));
    }
  }

  @Test
  void keysComeFromPropertiesAndSystemPropertiesToo() throws Exception {
    TestDeployment app = TestDeployment.create("app_keys");
    Properties info = new Properties();
    info.setProperty("secretId", app.secretId());
    info.setProperty("endpoint", secretsManager().endpoint().toString());
    System.setProperty("pazpaz.secrets.region", secretsManager().region());
    try (Connection connection = app.driver().connect("jdbc:pazpaz-secrets:", info)) {
      assertEquals(app.role(), queryString(connection, "SELECT current_user"));
    } finally {
      System.clearProperty("pazpaz.secrets.region");
    }
  }

  @Test
  void secretIsReadOnceAndThenServedFromTheCache() throws Exception {
    TestDeployment app = TestDeployment.create("app_cache");
    for (int i = 0; i < 5; i++) {
      app.driver().connect(app.url(), new Properties()).close();
    }
    assertEquals(1, secretsManager().calls("GetSecretValue", app.secretId()));
  }

  @Test
  void expiredEntryIsRefreshedInTheBackgroundWhileTheOldValueServes() throws Exception {
    TestDeployment app = TestDeployment.create("app_ttl");
    String secret = app.secretId();
    PazPazSecretsDriver driver = app.driver();
    String url = app.url("cacheTtl=1");
    driver.connect(url, new Properties()).close();
    Thread.sleep(1100); // past the one-second TTL
    secretsManager().failAlways(LocalSecretsManager.Fault.HANG);
    try {
      // The refresh hangs behind the connect; the stale value serves.
      driver.connect(url, new Properties()).close();
    } finally {
      secretsManager().clearFaults();
    }
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (secretsManager().calls("GetSecretValue", secret) < 2 && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertEquals(2, secretsManager().calls("GetSecretValue", secret));
  }

  @Test
  void propertyInfoListsEveryKeyWithItsDefault() throws SQLException {
    DriverPropertyInfo[] info =
        new PazPazSecretsDriver().getPropertyInfo("jdbc:pazpaz-secrets:x?region=eu-west-1", null);
    assertEquals(ConfigKey.keys(), Arrays.stream(info).map(p -> p.name).toList());
    DriverPropertyInfo region =
        Arrays.stream(info).filter(p -> p.name.equals("region")).findFirst().orElseThrow();
    assertEquals("eu-west-1", region.value);
    DriverPropertyInfo stage =
        Arrays.stream(info).filter(p -> p.name.equals("versionStage")).findFirst().orElseThrow();
    assertEquals("AWSCURRENT", stage.value);
    assertTrue(stage.description.length() > 10);
  }
}
