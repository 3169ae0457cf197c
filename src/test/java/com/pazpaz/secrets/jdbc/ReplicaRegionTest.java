package com.pazpaz.secrets.jdbc;

import static com.pazpaz.secrets.jdbc.DriverTestSupport.createRole;
import static com.pazpaz.secrets.jdbc.DriverTestSupport.isolatedDriver;
import static com.pazpaz.secrets.jdbc.DriverTestSupport.password;
import static com.pazpaz.secrets.jdbc.DriverTestSupport.postgres;
import static com.pazpaz.secrets.jdbc.DriverTestSupport.queryString;
import static com.pazpaz.secrets.jdbc.DriverTestSupport.secretJson;
import static com.pazpaz.secrets.jdbc.DriverTestSupport.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pazpaz.secrets.jdbc.testing.LocalSecretsManager;
import com.pazpaz.secrets.jdbc.testing.LocalSecretsManager.Fault;
import com.pazpaz.secrets.jdbc.testing.LogCapture;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A cold start while the primary region is down: the driver reads the secret's replica in a
 * fallback region. Two local Secrets Manager endpoints stand for the two regions, the primary one
 * failing; both are reached through the real AWS SDK.
 */
@ExtendWith(NoPasswordsInLogs.class)
@Timeout(120)
class ReplicaRegionTest {

  private static final String REPLICA_REGION = "us-west-2";

  /** A role, its secret in both regions, and the two endpoints. */
  private static final class Regions implements AutoCloseable {
    final String role = unique("replica_app");
    final String password = password(role);
    final String secret = unique("replica-secret");
    final LocalSecretsManager primary = LocalSecretsManager.start();
    final LocalSecretsManager replica = LocalSecretsManager.start();

    Regions() {
      createRole(role, password);
      primary.createSecret(secret, secretJson(role, password));
      replica.createSecret(secret, secretJson(role, password));
    }

    String url(String... extra) {
      StringBuilder url =
          new StringBuilder("jdbc:pazpaz-secrets:")
              .append(secret)
              .append("?endpoint=")
              .append(primary.endpoint())
              .append("&region=")
              .append(primary.region())
              .append("&fallbackRegions=")
              .append(REPLICA_REGION)
              .append("&fallbackEndpoints=")
              .append(REPLICA_REGION)
              .append('=')
              .append(replica.endpoint());
      for (String pair : extra) {
        url.append('&').append(pair);
      }
      return url.toString();
    }

    @Override
    public void close() {
      primary.clearFaults();
      primary.close();
      replica.close();
    }
  }

  enum Outage {
    INTERNAL_ERROR,
    THROTTLING,
    DROP_CONNECTION,
    HANG,
    REFUSED;

    void start(LocalSecretsManager endpoint) {
      if (this == REFUSED) {
        endpoint.close();
      } else {
        endpoint.failAlways(Fault.valueOf(name()));
      }
    }
  }

  @ParameterizedTest
  @CsvSource({
    "INTERNAL_ERROR, InternalServiceError, PT20S",
    "THROTTLING, ThrottlingException, PT20S",
    "DROP_CONNECTION, ClientError, PT20S",
    "HANG, ApiCallTimeout, PT2S",
    "REFUSED, ClientError, PT20S",
  })
  void aColdStartDuringAnOutageIsServedFromTheReplica(Outage outage, String code, String timeout)
      throws Exception {
    try (Regions regions = new Regions();
        LogCapture logs = LogCapture.finest()) {
      outage.start(regions.primary);
      PazPazSecretsDriver driver = isolatedDriver();
      try (Connection connection =
          driver.connect(regions.url("awsApiCallTimeout=" + timeout), new Properties())) {
        assertEquals(regions.role, queryString(connection, "SELECT current_user"));
      }
      List<String> events = logs.linesContaining("using_replica_region");
      assertEquals(1, events.size(), logs.lines().toString());
      for (String field :
          List.of(
              "secret=" + regions.secret, "region=" + REPLICA_REGION, "primary_error=" + code)) {
        assertTrue(events.get(0).contains(field), field + " in " + events.get(0));
      }
      assertEquals(1, regions.replica.calls("GetSecretValue"));
      assertTrue(logs.linesContaining(regions.password).isEmpty(), "password in logs");
    }
  }

  @ParameterizedTest
  @CsvSource({"NOT_FOUND, ResourceNotFoundException", "ACCESS_DENIED, AccessDeniedException"})
  void aConfigurationErrorInThePrimaryIsNotHiddenByTheReplica(String failure, String code) {
    try (Regions regions = new Regions();
        LogCapture logs = LogCapture.finest()) {
      String url = regions.url();
      if (failure.equals("NOT_FOUND")) {
        // The name is right in the replica only: the primary answers "not found".
        url = url.replace(regions.secret + "?", regions.secret + "-typo?");
        regions.replica.createSecret(
            regions.secret + "-typo", secretJson(regions.role, regions.password));
      } else {
        regions.primary.denyAccess(regions.secret);
      }
      String connectUrl = url;
      SQLException e =
          assertThrows(
              SQLException.class, () -> isolatedDriver().connect(connectUrl, new Properties()));
      assertEquals("08001", e.getSQLState());
      assertTrue(e.getMessage().contains(code), e.getMessage());
      assertEquals(0, regions.replica.calls("GetSecretValue"));
      assertEquals(List.of(), logs.linesContaining("using_replica_region"));
    }
  }

  @Test
  void onceThePrimaryAnswersABackgroundRefreshServesThePrimaryAgain() throws Exception {
    try (Regions regions = new Regions()) {
      String primaryVersion = regions.primary.versionId(regions.secret, "AWSCURRENT");
      String replicaVersion = regions.replica.versionId(regions.secret, "AWSCURRENT");
      assertNotEquals(primaryVersion, replicaVersion);
      regions.primary.failAlways(Fault.INTERNAL_ERROR);
      PazPazSecretsDriver driver = isolatedDriver();
      String url = regions.url("cacheTtl=1");
      driver.connect(url, new Properties()).close();
      SecretMXBean metrics =
          DriverTestSupport.metrics(
              driver, driver.settings(url, new Properties()).secretLocation());
      assertEquals(replicaVersion, metrics.getCurrentVersionId());

      regions.primary.clearFaults();
      regions.primary.resetCounters();
      // Connects keep being served while the refresh behind them reaches the primary.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (!primaryVersion.equals(metrics.getCurrentVersionId())
          && System.nanoTime() < deadline) {
        try (Connection connection = driver.connect(url, new Properties())) {
          assertEquals(regions.role, queryString(connection, "SELECT current_user"));
        }
        Thread.sleep(100);
      }
      assertEquals(primaryVersion, metrics.getCurrentVersionId());
      assertTrue(regions.primary.calls("GetSecretValue") >= 1);
    }
  }

  @Test
  void whenTheReplicasFailTooTheDatabaseUrlFallbackFollows() throws Exception {
    try (Regions regions = new Regions();
        LogCapture logs = LogCapture.finest()) {
      regions.primary.failAlways(Fault.INTERNAL_ERROR);
      regions.replica.failAlways(Fault.INTERNAL_ERROR);
      PazPazSecretsDriver withoutFallback = isolatedDriver();
      SQLException e =
          assertThrows(
              SQLException.class,
              () ->
                  withoutFallback.connect(
                      regions.url("awsApiCallTimeout=PT20S"), new Properties()));
      assertEquals("08001", e.getSQLState());
      assertTrue(e.getMessage().contains("InternalServiceError"), e.getMessage());
      assertEquals(1, e.getSuppressed().length, "the replica's failure is attached");

      PazPazSecretsDriver withFallback =
          isolatedDriver(Map.of("DATABASE_URL", databaseUrl(regions.role, regions.password)));
      try (Connection connection =
          withFallback.connect(regions.url("awsApiCallTimeout=PT20S"), new Properties())) {
        assertEquals(regions.role, queryString(connection, "SELECT current_user"));
      }
      assertEquals(1, logs.linesContaining("using_database_url_fallback").size());
      assertEquals(List.of(), logs.linesContaining("using_replica_region"));
      assertTrue(
          logs.linesContaining("failed_to_fetch_secret").stream()
              .anyMatch(line -> line.contains("region=" + REPLICA_REGION)),
          logs.lines().toString());
      regions.replica.clearFaults();
    }
  }

  private static String databaseUrl(String role, String password) {
    return "postgresql://"
        + role
        + ":"
        + URLEncoder.encode(password, StandardCharsets.UTF_8)
        + "@"
        + postgres().host()
        + ":"
        + postgres().port()
        + "/"
        + DriverTestSupport.DATABASE
        + "?sslmode=verify-full&sslrootcert="
        + postgres().caCertificate();
  }
}
