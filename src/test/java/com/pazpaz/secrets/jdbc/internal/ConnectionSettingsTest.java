package com.pazpaz.secrets.jdbc.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class ConnectionSettingsTest {

  private final Map<String, String> systemProperties = new HashMap<>();
  private final Map<String, String> environment = new HashMap<>();

  private ConnectionSettings resolve(String url, Properties info) throws SQLException {
    return ConnectionSettings.resolve(url, info, systemProperties::get, environment::get);
  }

  private static Properties properties(String... keysAndValues) {
    Properties properties = new Properties();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      properties.setProperty(keysAndValues[i], keysAndValues[i + 1]);
    }
    return properties;
  }

  @Test
  void defaultsWhenNothingIsSet() throws SQLException {
    ConnectionSettings settings = resolve("jdbc:pazpaz-secrets:", null);
    assertEquals("pazpaz/database-credentials", settings.secretId());
    assertEquals(DeploymentEnvironment.PRODUCTION, settings.environment());
    assertEquals("AWSCURRENT", settings.versionStage());
    assertEquals(Duration.ofHours(1), settings.cacheTtl());
    assertEquals(Duration.ofSeconds(10), settings.awsApiCallTimeout());
    assertTrue(settings.fallbackToDatabaseUrl());
    assertNull(settings.region());
    assertNull(settings.endpoint());
    assertNull(settings.sslmode());
  }

  @Test
  void urlBeatsPropertiesBeatsSystemPropertyBeatsEnvironment() throws SQLException {
    environment.put("AWS_PROFILE", "from-env");
    assertEquals("from-env", resolve("jdbc:pazpaz-secrets:s", null).awsProfile());

    systemProperties.put("pazpaz.secrets.awsProfile", "from-sysprop");
    assertEquals("from-sysprop", resolve("jdbc:pazpaz-secrets:s", null).awsProfile());

    Properties info = properties("awsProfile", "from-properties");
    assertEquals("from-properties", resolve("jdbc:pazpaz-secrets:s", info).awsProfile());

    assertEquals(
        "from-url", resolve("jdbc:pazpaz-secrets:s?awsProfile=from-url", info).awsProfile());
  }

  @Test
  void everyKeyIsReadFromItsEnvironmentVariable() throws SQLException {
    environment.put("DB_SECRETS_MANAGER_KEY_NAME", "env/secret");
    environment.put("AWS_REGION", "eu-west-1");
    environment.put("AWS_ENDPOINT_URL_SECRETS_MANAGER", "http://localhost:4566");
    environment.put("ENVIRONMENT", "Staging");
    environment.put("DATABASE_URL", "postgresql://u:p@h/db");
    ConnectionSettings settings = resolve("jdbc:pazpaz-secrets:", null);
    assertEquals("env/secret", settings.secretId());
    assertEquals("eu-west-1", settings.region());
    assertEquals(URI.create("http://localhost:4566"), settings.endpoint());
    assertEquals(DeploymentEnvironment.STAGING, settings.environment());
    assertEquals("postgresql://u:p@h/db", settings.databaseUrl());
  }

  @Test
  void secretIdInTheUrlBeatsTheKeyAndTheEnvironment() throws SQLException {
    environment.put("DB_SECRETS_MANAGER_KEY_NAME", "env/secret");
    assertEquals(
        "url/secret", resolve("jdbc:pazpaz-secrets:url/secret?secretId=k", null).secretId());
    assertEquals("k", resolve("jdbc:pazpaz-secrets:?secretId=k", null).secretId());
  }

  @Test
  void hostFormTakesTheSecretIdFromThePoolsUser() throws SQLException {
    Properties info = properties("user", "prod/app-db", "password", "ignored");
    ConnectionSettings settings = resolve("jdbc:pazpaz-secrets://db:5432/app", info);
    assertEquals("prod/app-db", settings.secretId());
    assertEquals(new Endpoint("db", 5432, "app"), settings.urlEndpoint());
    assertEquals(
        "explicit",
        resolve("jdbc:pazpaz-secrets://db:5432/app?secretId=explicit", info).secretId());
  }

  @Test
  void arnGivesTheRegionUnlessTheRegionKeyIsSet() throws SQLException {
    environment.put("AWS_REGION", "us-east-1");
    String arn = "arn:aws:secretsmanager:eu-central-1:123456789012:secret:db-AbCdEf";
    assertEquals("eu-central-1", resolve("jdbc:pazpaz-secrets:" + arn, null).region());
    assertEquals(
        "ap-south-1", resolve("jdbc:pazpaz-secrets:" + arn + "?region=ap-south-1", null).region());
  }

  @Test
  void awsDefaultRegionIsTheLastResort() throws SQLException {
    environment.put("AWS_DEFAULT_REGION", "eu-north-1");
    assertEquals("eu-north-1", resolve("jdbc:pazpaz-secrets:s", null).region());
    environment.put("AWS_REGION", "eu-west-3");
    assertEquals("eu-west-3", resolve("jdbc:pazpaz-secrets:s", null).region());
  }

  @Test
  void otherKeysPassThroughButNotThePoolsUserAndPassword() throws SQLException {
    Properties info =
        properties("user", "pool-user", "password", "pool-password", "socketTimeout", "30");
    ConnectionSettings settings =
        resolve("jdbc:pazpaz-secrets:s?ApplicationName=billing&prepareThreshold=0", info);
    assertEquals(
        Map.of("ApplicationName", "billing", "prepareThreshold", "0", "socketTimeout", "30"),
        settings.pgjdbcProperties());
  }

  @Test
  void durationsTakeIsoOrSeconds() throws SQLException {
    assertEquals(
        Duration.ofSeconds(90), resolve("jdbc:pazpaz-secrets:s?cacheTtl=90", null).cacheTtl());
    assertEquals(
        Duration.ofMinutes(5), resolve("jdbc:pazpaz-secrets:s?cacheTtl=PT5M", null).cacheTtl());
  }

  @Test
  void badValuesNameTheKeyAndWhatIsExpected() {
    SQLException ttl =
        assertThrows(
            SQLException.class, () -> resolve("jdbc:pazpaz-secrets:s?cacheTtl=soon", null));
    assertEquals("08001", ttl.getSQLState());
    assertTrue(ttl.getMessage().contains("cacheTtl") && ttl.getMessage().contains("PT1H"));

    SQLException fallback =
        assertThrows(
            SQLException.class,
            () -> resolve("jdbc:pazpaz-secrets:s?fallbackToDatabaseUrl=maybe", null));
    assertTrue(fallback.getMessage().contains("true or false"), fallback.getMessage());

    SQLException endpoint =
        assertThrows(
            SQLException.class, () -> resolve("jdbc:pazpaz-secrets:s?endpoint=localhost", null));
    assertTrue(endpoint.getMessage().contains("endpoint"), endpoint.getMessage());
  }

  @Test
  void unknownEnvironmentListsTheChoices() {
    environment.put("ENVIRONMENT", "prod");
    SQLException e = assertThrows(SQLException.class, () -> resolve("jdbc:pazpaz-secrets:s", null));
    assertEquals("08001", e.getSQLState());
    assertTrue(
        e.getMessage().contains("'prod'")
            && e.getMessage().contains("local, development, test, staging, production"),
        e.getMessage());
  }

  @Test
  void toStringMasksDatabaseUrlAndPasswordProperties() throws SQLException {
    Properties info = properties("sslpassword", "key-file-secret");
    environment.put("DATABASE_URL", "postgresql://u:hunter2-secret@h/db");
    String shown = resolve("jdbc:pazpaz-secrets:s", info).toString();
    assertFalse(shown.contains("hunter2-secret"), shown);
    assertFalse(shown.contains("key-file-secret"), shown);
    assertTrue(shown.contains("databaseUrl=****"), shown);
  }
}
