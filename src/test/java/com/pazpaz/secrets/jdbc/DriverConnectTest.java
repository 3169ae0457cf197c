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
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pazpaz.secrets.jdbc.testing.LocalSecretsManager;
import com.pazpaz.secrets.jdbc.testing.LogCapture;
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

/** Issue 2, points 1 and 2: connect through DriverManager with the secret, every key honoured. */
@ExtendWith(NoPasswordsInLogs.class)
class DriverConnectTest {

  @Test
  void defaultSecretNameConnectsThroughDriverManagerWithVerifiedTls() throws Exception {
    // The literal URL users write; endpoint and region come from system properties here.
    String role = unique("app_default");
    String password = password(role);
    createRole(role, password);
    secretsManager().createSecret("pazpaz/database-credentials", secretJson(role, password));
    System.setProperty("pazpaz.secrets.endpoint", secretsManager().endpoint().toString());
    System.setProperty("pazpaz.secrets.region", secretsManager().region());
    try (LogCapture logs = LogCapture.finest();
        Connection connection =
            DriverManager.getConnection("jdbc:pazpaz-secrets:pazpaz/database-credentials")) {
      assertEquals(role, queryString(connection, "SELECT current_user"));
      assertEquals(
          "t", queryString(connection, "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()"));
      assertEquals("org.postgresql.jdbc.PgConnection", connection.getClass().getName());
      assertTrue(connection.isWrapperFor(PGConnection.class));
      assertInstanceOf(PGConnection.class, connection.unwrap(PGConnection.class));
      assertEquals(
          1,
          logs.linesContaining("database_credentials_fetched_from_aws").size(),
          logs.lines().toString());
      assertTrue(logs.linesContaining(password).isEmpty(), "password in logs");
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
    String role = unique("app_wrong_ca");
    String password = password(role);
    createRole(role, password);
    // The JDK's own trust store file is a CA file that does not hold our test CA.
    String json =
        secretJson(role, password)
            .replace(postgres().caCertificate().toString(), "/etc/ssl/certs/ca-certificates.crt");
    String secret = unique("wrong-ca");
    secretsManager().createSecret(secret, json);
    try {
      isolatedDriver().connect(url(secret), new Properties()).close();
      throw new AssertionError("connected without a verified certificate");
    } catch (SQLException e) {
      assertEquals("08006", e.getSQLState(), e.getMessage());
      assertFalse(DriverTestSupport.mentions(e, password));
    }
  }

  @Test
  void hostFormTakesTheEndpointFromTheUrlAndTheSecretIdFromTheUser() throws Exception {
    String role = unique("app_hostform");
    String password = password(role);
    createRole(role, password);
    String secret = unique("hostform");
    // Only credentials in the secret: the URL gives the endpoint.
    secretsManager()
        .createSecret(
            secret,
            "{\"username\":\""
                + role
                + "\",\"password\":\""
                + password
                + "\",\"ssl_cert_path\":\""
                + postgres().caCertificate()
                + "\"}");
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
    poolStyle.setProperty("user", secret);
    poolStyle.setProperty("password", "not-the-database-password");
    try (Connection connection = isolatedDriver().connect(url, poolStyle)) {
      assertEquals(role, queryString(connection, "SELECT current_user"));
      assertEquals(
          DriverTestSupport.DATABASE, queryString(connection, "SELECT current_database()"));
    }
  }

  @Test
  void pgjdbcPropertiesPassThroughFromUrlAndProperties() throws Exception {
    String role = unique("app_props");
    String password = password(role);
    createRole(role, password);
    String secret = unique("props");
    secretsManager().createSecret(secret, secretJson(role, password));
    Properties info = new Properties();
    info.setProperty("options", "-c statement_timeout=1234");
    info.setProperty("ApplicationName", "overridden-by-url");
    try (Connection connection =
        isolatedDriver().connect(url(secret, "ApplicationName=billing%20api"), info)) {
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
    String role = unique("app_keys");
    String password = password(role);
    createRole(role, password);
    String secret = unique("keys");
    secretsManager().createSecret(secret, secretJson(role, password));
    Properties info = new Properties();
    info.setProperty("secretId", secret);
    info.setProperty("endpoint", secretsManager().endpoint().toString());
    System.setProperty("pazpaz.secrets.region", secretsManager().region());
    try (Connection connection = isolatedDriver().connect("jdbc:pazpaz-secrets:", info)) {
      assertEquals(role, queryString(connection, "SELECT current_user"));
    } finally {
      System.clearProperty("pazpaz.secrets.region");
    }
  }

  @Test
  void secretIsReadOnceAndThenServedFromTheCache() throws Exception {
    String role = unique("app_cache");
    String password = password(role);
    createRole(role, password);
    String secret = unique("cache");
    secretsManager().createSecret(secret, secretJson(role, password));
    PazPazSecretsDriver driver = isolatedDriver();
    for (int i = 0; i < 5; i++) {
      driver.connect(url(secret), new Properties()).close();
    }
    assertEquals(1, secretsManager().calls("GetSecretValue", secret));
  }

  @Test
  void expiredEntryIsRefreshedInTheBackgroundWhileTheOldValueServes() throws Exception {
    String role = unique("app_ttl");
    String password = password(role);
    createRole(role, password);
    String secret = unique("ttl");
    secretsManager().createSecret(secret, secretJson(role, password));
    PazPazSecretsDriver driver = isolatedDriver();
    String url = url(secret, "cacheTtl=1");
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
