package com.pazpaz.secrets.jdbc;

import static com.pazpaz.secrets.jdbc.DriverTestSupport.isolatedDriver;
import static com.pazpaz.secrets.jdbc.DriverTestSupport.postgres;
import static com.pazpaz.secrets.jdbc.DriverTestSupport.queryString;
import static com.pazpaz.secrets.jdbc.DriverTestSupport.secretJson;
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
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A cold start while the primary region is down: the driver reads the secret's replica in a
 * fallback region. Two local Secrets Manager endpoints stand for the two regions, the primary one
 * failing; both are reached through the real AWS SDK.
 */
@ExtendWith(NoPasswordsInLogs.class)
@Timeout(120)
class ReplicaRegionTest {

  private static final String REPLICA_REGION = "us-west-2";

  /**
   * A deployment on the primary endpoint, the same secret (another version id) on the replica one,
   * and a URL that falls back to the replica.
   */
  private static final class Regions implements AutoCloseable {
    final LocalSecretsManager primary = LocalSecretsManager.start();
    final LocalSecretsManager replica = LocalSecretsManager.start();
    final TestDeployment app =
        TestDeployment.builder("replica_app").secretsManager(primary).create();
    final String role = app.role();
    final String password = app.password();
    final String secret = app.secretId();

    Regions() {
      replica.createSecret(secret, app.storedSecret().json());
    }

    String url(String... extra) {
      return app.url(
          Stream.concat(
                  Stream.of(
                      "fallbackRegions=" + REPLICA_REGION,
                      "fallbackEndpoints=" + REPLICA_REGION + "=" + replica.endpoint()),
                  Stream.of(extra))
              .toArray(String[]::new));
    }

    @Override
    public void close() {
      primary.clearFaults();
      primary.close();
      replica.close();
    }
  }

  @ParameterizedTest
  @EnumSource(Outage.class)
  void aColdStartDuringAnOutageIsServedFromTheReplica(Outage outage) throws Exception {
    try (Regions regions = new Regions();
        LogCapture logs = LogCapture.finest()) {
      outage.start(regions.primary);
      PazPazSecretsDriver driver = isolatedDriver();
      try (Connection connection =
          driver.connect(regions.url(outage.apiCallTimeout()), new Properties())) {
        assertEquals(regions.role, queryString(connection, "SELECT current_user"));
      }
      List<String> events = logs.linesContaining("using_replica_region");
      assertEquals(1, events.size(), logs.lines().toString());
      for (String field :
          List.of(
              "secret=" + regions.secret,
              "region=" + REPLICA_REGION,
              "primary_error=" + outage.errorCode())) {
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
