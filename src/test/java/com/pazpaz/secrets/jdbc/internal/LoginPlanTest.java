package com.pazpaz.secrets.jdbc.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.benmanes.caffeine.cache.Ticker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A warm connect reuses pgjdbc's URL and Properties; a new secret version or changed settings get a
 * new plan, and a plan that cannot be made (a missing CA file) is reported every time.
 */
class LoginPlanTest {

  private static final String PASSWORD = "login-plan-test-password-0123456789";

  @TempDir Path folder;

  private final Connector connector =
      new Connector(
          new SecretCache(
              location -> {
                throw new AssertionError("no read expected");
              },
              new SecretMetricsRegistry(),
              Runnable::run,
              Ticker.systemTicker(),
              Clock.systemUTC()));

  private static ConnectionSettings settings(String url) throws SQLException {
    return ConnectionSettings.resolve(url, new Properties(), name -> null, name -> null);
  }

  private DatabaseSecret secret(String password, Path ca) {
    return new DatabaseSecret("app_user", password, "db.internal", 5432, "clinic", ca.toString());
  }

  private Path ca() throws IOException {
    return Files.writeString(folder.resolve("ca.pem"), "not parsed here");
  }

  @Test
  void theSameSettingsAndSecretReuseOnePlan() throws Exception {
    ConnectionSettings settings = settings("jdbc:pazpaz-secrets:app/db?region=eu-west-1");
    DatabaseSecret secret = secret(PASSWORD, ca());
    LoginPlan first = connector.plan(settings, settings.secretLocation(), secret);
    LoginPlan second = connector.plan(settings, settings.secretLocation(), secret);
    assertSame(first, second);
    assertEquals("jdbc:postgresql://db.internal:5432/clinic", first.url());
    Properties properties = first.properties();
    assertEquals("app_user", properties.getProperty("user"));
    assertEquals(PASSWORD, properties.getProperty("password"));
    assertEquals("verify-full", properties.getProperty("sslmode"));
    assertEquals(folder.resolve("ca.pem").toString(), properties.getProperty("sslrootcert"));
  }

  @Test
  void aNewSecretVersionGetsANewPlan() throws Exception {
    ConnectionSettings settings = settings("jdbc:pazpaz-secrets:app/db?region=eu-west-1");
    Path ca = ca();
    LoginPlan before = connector.plan(settings, settings.secretLocation(), secret(PASSWORD, ca));
    LoginPlan after =
        connector.plan(settings, settings.secretLocation(), secret(PASSWORD + "-rotated", ca));
    assertNotSame(before, after);
    assertEquals(PASSWORD + "-rotated", after.properties().getProperty("password"));
  }

  @Test
  void changedSettingsGetANewPlan() throws Exception {
    DatabaseSecret secret = secret(PASSWORD, ca());
    ConnectionSettings plain = settings("jdbc:pazpaz-secrets:app/db?region=eu-west-1");
    ConnectionSettings named =
        settings("jdbc:pazpaz-secrets:app/db?region=eu-west-1&ApplicationName=billing");
    connector.plan(plain, plain.secretLocation(), secret);
    LoginPlan withName = connector.plan(named, named.secretLocation(), secret);
    assertEquals("billing", withName.properties().getProperty("ApplicationName"));
  }

  @Test
  void aMissingCaFileIsReportedForANewPlanAndNothingIsKept() throws Exception {
    ConnectionSettings settings = settings("jdbc:pazpaz-secrets:app/db?region=eu-west-1");
    DatabaseSecret missingCa = secret(PASSWORD, folder.resolve("absent.pem"));
    SQLException first =
        assertThrows(
            SQLException.class,
            () -> connector.plan(settings, settings.secretLocation(), missingCa));
    SQLException again =
        assertThrows(
            SQLException.class,
            () -> connector.plan(settings, settings.secretLocation(), missingCa));
    assertEquals("08001", again.getSQLState());
    assertEquals(first.getMessage(), again.getMessage());
    assertTrue(again.getMessage().contains("absent.pem"), again.getMessage());
  }

  @Test
  void aPlanNeverShowsThePassword() throws Exception {
    ConnectionSettings settings = settings("jdbc:pazpaz-secrets:app/db?region=eu-west-1");
    LoginPlan plan = connector.plan(settings, settings.secretLocation(), secret(PASSWORD, ca()));
    assertFalse(plan.toString().contains(PASSWORD), plan.toString());
    assertEquals(
        "LoginPlan[url=jdbc:postgresql://db.internal:5432/clinic, user=app_user]", plan.toString());
  }

  @Test
  void forgettingLoginsDropsThePlans() throws Exception {
    ConnectionSettings settings = settings("jdbc:pazpaz-secrets:app/db?region=eu-west-1");
    DatabaseSecret secret = secret(PASSWORD, ca());
    LoginPlan before = connector.plan(settings, settings.secretLocation(), secret);
    connector.forgetLogins();
    assertNotSame(before, connector.plan(settings, settings.secretLocation(), secret));
  }
}
