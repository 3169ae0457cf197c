package com.pazpaz.secrets.jdbc.micrometer;

import static com.pazpaz.secrets.jdbc.DriverTestSupport.driverOn;
import static com.pazpaz.secrets.jdbc.DriverTestSupport.password;
import static com.pazpaz.secrets.jdbc.DriverTestSupport.secretJson;
import static com.pazpaz.secrets.jdbc.DriverTestSupport.secretsManager;
import static com.pazpaz.secrets.jdbc.DriverTestSupport.unique;
import static com.pazpaz.secrets.jdbc.DriverTestSupport.url;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pazpaz.secrets.jdbc.NoPasswordsInLogs;
import com.pazpaz.secrets.jdbc.PazPazSecretsDriver;
import com.pazpaz.secrets.jdbc.TestDeployment;
import com.pazpaz.secrets.jdbc.internal.DriverRuntime;
import com.pazpaz.secrets.jdbc.internal.SecretsManagerSource;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The meters as a Micrometer registry shows them, after real reads of the local Secrets Manager and
 * real logins to PostgreSQL.
 */
@ExtendWith(NoPasswordsInLogs.class)
class PazPazSecretsMetricsTest {

  private final DriverRuntime runtime = new DriverRuntime(new SecretsManagerSource());
  private final PazPazSecretsDriver driver = driverOn(runtime);
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  @AfterEach
  void closeRuntime() {
    runtime.close();
  }

  @Test
  void countsReadsARotationWindowAndTheAgeOfTheVersionInUse() throws Exception {
    new PazPazSecretsMetrics(runtime).bindTo(registry); // before the secret is first read
    TestDeployment app =
        TestDeployment.builder("meter_app").secretId(unique("team/meters")).create();
    String secret = app.secretId();
    String oldPassword = app.password();
    String newPassword = app.newPassword();
    secretsManager()
        .setVersionCreatedDate(secret, "AWSCURRENT", Instant.now().minus(Duration.ofDays(100)));

    driver.connect(app.url(), new Properties()).close();

    assertEquals(1.0, count(PazPazSecretsMetrics.FETCHES, secret));
    assertEquals(1.0, count(PazPazSecretsMetrics.API_CALLS, secret));
    assertEquals(0.0, count(PazPazSecretsMetrics.FETCH_FAILURES, secret));
    assertEquals(100, Math.floor(versionAge(secret)), "days since the version was created");

    // A rotation between the database's password change and the promotion to AWSCURRENT.
    app.storeVersion(newPassword, "AWSPENDING");
    app.alterPassword(newPassword);
    driver.connect(app.url(), new Properties()).close();

    assertEquals(1.0, count(PazPazSecretsMetrics.LOGINS_RESCUED, secret));
    assertEquals(3.0, count(PazPazSecretsMetrics.FETCHES, secret), "cached, forced, pending");
    assertEquals(3.0, count(PazPazSecretsMetrics.API_CALLS, secret));
    assertEquals(0.0, count(PazPazSecretsMetrics.STALE_SERVES, secret));
    // The cached password was refused once before AWSPENDING rescued the login.
    assertEquals(1.0, count(PazPazSecretsMetrics.LOGINS_REJECTED, secret));

    for (Meter meter : registry.getMeters()) {
      String shown = meter.getId() + " " + meter.measure();
      assertFalse(shown.contains(oldPassword) || shown.contains(newPassword), shown);
    }
  }

  @Test
  void countsAFailedReadAndTheApiCallItMade() throws Exception {
    new PazPazSecretsMetrics(runtime).bindTo(registry);
    String secret = unique("team/denied");
    secretsManager().createSecret(secret, secretJson("nobody", password("nobody")));
    secretsManager().denyAccess(secret);
    try {
      assertThrows(SQLException.class, () -> driver.connect(url(secret), new Properties()));
    } finally {
      secretsManager().allowAccess(secret);
    }

    assertEquals(1.0, count(PazPazSecretsMetrics.FETCH_FAILURES, secret));
    assertEquals(1.0, count(PazPazSecretsMetrics.API_CALLS, secret));
    assertEquals(0.0, count(PazPazSecretsMetrics.FETCHES, secret));
    assertTrue(Double.isNaN(versionAge(secret)), "no version read, no age");
  }

  @Test
  void countsStaleServesAndShowsSecretsReadBeforeTheBinding() throws Exception {
    TestDeployment app =
        TestDeployment.builder("meter_stale").secretId(unique("team/stale")).create();
    String secret = app.secretId();
    String url = app.url("cacheTtl=1");
    driver.connect(url, new Properties()).close();
    Thread.sleep(1100); // past the one-second TTL: the next connect is served the old value
    driver.connect(url, new Properties()).close();

    new PazPazSecretsMetrics(runtime).bindTo(registry); // after both connects
    assertEquals(1.0, count(PazPazSecretsMetrics.STALE_SERVES, secret));
    assertTrue(count(PazPazSecretsMetrics.FETCHES, secret) >= 1.0);
    assertTrue(versionAge(secret) < 1, "a version created just now: " + versionAge(secret));
  }

  private double count(String name, String secret) {
    return registry
        .get(name)
        .tags("secret", secret, "stage", "AWSCURRENT")
        .functionCounter()
        .count();
  }

  private double versionAge(String secret) {
    return registry
        .get(PazPazSecretsMetrics.VERSION_AGE)
        .tags("secret", secret, "stage", "AWSCURRENT")
        .gauge()
        .value();
  }
}
