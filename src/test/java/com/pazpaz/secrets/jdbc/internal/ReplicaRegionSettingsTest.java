package com.pazpaz.secrets.jdbc.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** fallbackRegions and fallbackEndpoints: resolution as every key, and loud about mistakes. */
class ReplicaRegionSettingsTest {

  private final Map<String, String> systemProperties = new HashMap<>();

  private ConnectionSettings resolve(String url) throws SQLException {
    return ConnectionSettings.resolve(url, new Properties(), systemProperties::get, name -> null);
  }

  @Test
  void noFallbackRegionsByDefault() throws SQLException {
    ConnectionSettings settings = resolve("jdbc:pazpaz-secrets:s?region=us-east-1");
    assertEquals(List.of(), settings.replicaRegions());
    assertEquals(List.of(), settings.secretLocation().replicas());
  }

  @Test
  void regionsInOrderWithTheirEndpoints() throws SQLException {
    ConnectionSettings settings =
        resolve(
            "jdbc:pazpaz-secrets:s?region=us-east-1&fallbackRegions=us-west-2,%20eu-west-1"
                + "&fallbackEndpoints=eu-west-1=https://vpce-1.example");
    assertEquals(
        List.of(
            new ReplicaRegion("us-west-2", null),
            new ReplicaRegion("eu-west-1", URI.create("https://vpce-1.example"))),
        settings.replicaRegions());
    assertEquals(settings.replicaRegions(), settings.secretLocation().replicas());
  }

  @Test
  void aSystemPropertySetsThemJvmWideAndTheUrlWins() throws SQLException {
    systemProperties.put("pazpaz.secrets.fallbackRegions", "eu-central-1");
    assertEquals(
        List.of(new ReplicaRegion("eu-central-1", null)),
        resolve("jdbc:pazpaz-secrets:s").replicaRegions());
    assertEquals(
        List.of(new ReplicaRegion("us-gov-west-1", null)),
        resolve("jdbc:pazpaz-secrets:s?fallbackRegions=us-gov-west-1").replicaRegions());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = ';',
      value = {
        "fallbackRegions=us_west_2; fallbackRegions: expected comma-separated AWS region names",
        "fallbackRegions=US-WEST-2; ('US-WEST-2' is not one)",
        "fallbackRegions=us-west-2,; ('' is not one)",
        "fallbackRegions=us-east-1; regions other than the primary region us-east-1",
        "fallbackRegions=us-west-2,us-west-2; each region once (us-west-2 repeats)",
        "fallbackEndpoints=us-west-2=https://x.example; which is not set",
        "fallbackRegions=us-west-2&fallbackEndpoints=eu-west-1=https://x.example;"
            + " (eu-west-1 is not)",
        "fallbackRegions=us-west-2&fallbackEndpoints=https://x.example; REGION=URL pairs",
        "fallbackRegions=us-west-2&fallbackEndpoints=us-west-2=ftp://x; an http(s) URL",
        "fallbackRegions=us-west-2&fallbackEndpoints=us-west-2=http://a,us-west-2=http://b;"
            + " one endpoint per region",
      })
  void malformedValuesAreRefusedWithWhatToWrite(String query, String expected) {
    SQLException e =
        assertThrows(
            SQLException.class, () -> resolve("jdbc:pazpaz-secrets:s?region=us-east-1&" + query));
    assertEquals("08001", e.getSQLState());
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }

  @Test
  void aReplicaOfAnArnIsTheSameArnInTheReplicasRegion() throws SQLException {
    SecretLocation primary =
        resolve(
                "jdbc:pazpaz-secrets:arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf"
                    + "?fallbackRegions=eu-west-1&fallbackEndpoints=eu-west-1=https://vpce.example"
                    + "&awsProfile=ops")
            .secretLocation();
    SecretLocation replica = primary.inReplica(primary.replicas().get(0));
    assertEquals(
        "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf", replica.secretId());
    assertEquals("eu-west-1", replica.client().region());
    assertEquals(URI.create("https://vpce.example"), replica.client().endpoint());
    assertEquals("ops", replica.client().awsProfile());
    assertEquals(List.of(), replica.replicas());
  }

  @Test
  void aReplicaOfANameKeepsTheNameAndNotThePrimarysEndpoint() throws SQLException {
    SecretLocation primary =
        resolve(
                "jdbc:pazpaz-secrets:clinic/db?region=us-east-1&endpoint=https://vpce-primary.example"
                    + "&fallbackRegions=us-west-2")
            .secretLocation();
    SecretLocation replica = primary.inReplica(primary.replicas().get(0));
    assertEquals("clinic/db", replica.secretId());
    assertEquals("us-west-2", replica.client().region());
    assertEquals(null, replica.client().endpoint());
  }
}
