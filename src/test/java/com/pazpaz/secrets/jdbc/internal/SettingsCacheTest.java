package com.pazpaz.secrets.jdbc.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class SettingsCacheTest {

  private static final String URL = "jdbc:pazpaz-secrets:app/db?region=eu-west-1";

  private final Map<String, String> systemProperties = new HashMap<>();
  private final Map<String, String> environment = new HashMap<>();
  private final SettingsCache cache = new SettingsCache(systemProperties::get, environment::get);

  private static Properties properties(String... keysAndValues) {
    Properties properties = new Properties();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      properties.setProperty(keysAndValues[i], keysAndValues[i + 1]);
    }
    return properties;
  }

  @Test
  void anUnchangedConnectReusesTheResolvedSettings() throws SQLException {
    ConnectionSettings first = cache.resolve(URL, properties("ApplicationName", "app"));
    ConnectionSettings second = cache.resolve(URL, properties("ApplicationName", "app"));
    assertSame(first, second);
    assertEquals(
        ConnectionSettings.resolve(
            URL, properties("ApplicationName", "app"), systemProperties::get, environment::get),
        second);
  }

  @Test
  void aSystemPropertySetBetweenConnectsTakesEffect() throws SQLException {
    assertEquals(Duration.ofHours(1), cache.resolve(URL, null).cacheTtl());
    systemProperties.put("pazpaz.secrets.cacheTtl", "PT5M");
    assertEquals(Duration.ofMinutes(5), cache.resolve(URL, null).cacheTtl());
    systemProperties.put("pazpaz.secrets.cacheTtl", "60");
    assertEquals(Duration.ofMinutes(1), cache.resolve(URL, null).cacheTtl());
    systemProperties.remove("pazpaz.secrets.cacheTtl");
    assertEquals(Duration.ofHours(1), cache.resolve(URL, null).cacheTtl());
  }

  @Test
  void anEnvironmentVariableChangedBetweenConnectsTakesEffect() throws SQLException {
    String url = "jdbc:pazpaz-secrets:app/db";
    environment.put("AWS_REGION", "eu-west-1");
    assertEquals("eu-west-1", cache.resolve(url, null).region());
    environment.put("AWS_REGION", "us-east-2");
    assertEquals("us-east-2", cache.resolve(url, null).region());
    environment.remove("AWS_REGION");
    environment.put("AWS_DEFAULT_REGION", "ap-south-1");
    assertEquals("ap-south-1", cache.resolve(url, null).region());
  }

  @Test
  void otherPropertiesGiveOtherSettings() throws SQLException {
    ConnectionSettings staging = cache.resolve(URL, properties("environment", "staging"));
    ConnectionSettings production = cache.resolve(URL, properties("environment", "production"));
    assertEquals(DeploymentEnvironment.STAGING, staging.environment());
    assertEquals(DeploymentEnvironment.PRODUCTION, production.environment());
    assertNotSame(staging, production);
    assertEquals(
        Map.of("ApplicationName", "b"),
        cache.resolve(URL, properties("ApplicationName", "b")).pgjdbcProperties());
  }

  @Test
  void invalidSettingsFailOnEveryConnectAndValidOnesComeBack() throws SQLException {
    cache.resolve(URL, null);
    systemProperties.put("pazpaz.secrets.cacheTtl", "soon");
    SQLException first = assertThrows(SQLException.class, () -> cache.resolve(URL, null));
    SQLException second = assertThrows(SQLException.class, () -> cache.resolve(URL, null));
    assertEquals(first.getMessage(), second.getMessage());
    systemProperties.remove("pazpaz.secrets.cacheTtl");
    assertEquals(Duration.ofHours(1), cache.resolve(URL, null).cacheTtl());
  }

  @Test
  void manyDifferentUrlsAllResolveToTheirOwnSettings() throws SQLException {
    for (int round = 0; round < 2; round++) {
      for (int i = 0; i < SettingsCache.MAX_URLS * 2; i++) {
        assertEquals(
            "app/db" + i, cache.resolve("jdbc:pazpaz-secrets:app/db" + i, null).secretId());
      }
    }
  }
}
