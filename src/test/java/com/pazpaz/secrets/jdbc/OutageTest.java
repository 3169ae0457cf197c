package com.pazpaz.secrets.jdbc;

import static com.pazpaz.secrets.jdbc.DriverTestSupport.isolatedDriver;
import static com.pazpaz.secrets.jdbc.DriverTestSupport.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pazpaz.secrets.jdbc.testing.LocalSecretsManager;
import com.pazpaz.secrets.jdbc.testing.LogCapture;
import java.sql.SQLException;
import java.util.Properties;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Secrets Manager outages. Each test has its own endpoint, so that stopping it (connections
 * refused) touches no other test. A warm cache keeps serving; a cold one fails with 08001, the AWS
 * error code, and within the configured awsApiCallTimeout.
 */
@ExtendWith(NoPasswordsInLogs.class)
@Timeout(120)
class OutageTest {

  private static final int CONNECTS_DURING_OUTAGE = 10;

  @ParameterizedTest
  @EnumSource(Outage.class)
  void warmCacheKeepsServingAndLogsOncePerRefreshAttempt(Outage outage) throws Exception {
    try (LocalSecretsManager endpoint = LocalSecretsManager.start();
        LogCapture logs = LogCapture.finest()) {
      TestDeployment app = TestDeployment.builder("outage_warm").secretsManager(endpoint).create();
      PazPazSecretsDriver driver = app.driver();
      String url = app.url("cacheTtl=1", "awsApiCallTimeout=PT2S");
      driver.connect(url, new Properties()).close();
      Thread.sleep(1100); // the entry is now due for a refresh

      outage.start(endpoint);
      long started = System.nanoTime();
      for (int i = 0; i < CONNECTS_DURING_OUTAGE; i++) {
        driver.connect(url, new Properties()).close();
      }
      double seconds = (System.nanoTime() - started) / 1e9;
      endpoint.clearFaults();

      SecretMXBean metrics =
          DriverTestSupport.metrics(
              driver, driver.settings(url, new Properties()).secretLocation());
      assertEquals(CONNECTS_DURING_OUTAGE, metrics.getStaleServes());
      // Refresh attempts are spaced a second apart, and each failure is logged once.
      long failureLines = logs.linesContaining("failed_to_fetch_secret").size();
      assertTrue(
          failureLines <= 1 + Math.ceil(seconds),
          failureLines
              + " failure lines for "
              + CONNECTS_DURING_OUTAGE
              + " connects in "
              + seconds);
    }
  }

  @ParameterizedTest
  @EnumSource(Outage.class)
  void coldCacheFailsWith08001AndTheAwsErrorCode(Outage outage) {
    String secret = unique("outage-cold");
    try (LocalSecretsManager endpoint = LocalSecretsManager.start()) {
      endpoint.createSecret(secret, "{}");
      outage.start(endpoint);
      PazPazSecretsDriver driver = isolatedDriver();
      SQLException e =
          assertThrows(
              SQLException.class,
              () ->
                  driver.connect(
                      DriverTestSupport.url(endpoint, secret, outage.apiCallTimeout()),
                      new Properties()));
      assertEquals("08001", e.getSQLState());
      assertTrue(e.getMessage().contains(outage.errorCode()), e.getMessage());
      assertTrue(e.getMessage().contains("'" + secret + "'"), e.getMessage());
      endpoint.clearFaults();
    }
  }
}
