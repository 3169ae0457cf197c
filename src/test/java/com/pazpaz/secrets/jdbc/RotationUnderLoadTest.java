package com.pazpaz.secrets.jdbc;

import static com.pazpaz.secrets.jdbc.DriverTestSupport.createRole;
import static com.pazpaz.secrets.jdbc.DriverTestSupport.password;
import static com.pazpaz.secrets.jdbc.DriverTestSupport.postgres;
import static com.pazpaz.secrets.jdbc.DriverTestSupport.secretsManager;
import static com.pazpaz.secrets.jdbc.DriverTestSupport.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pazpaz.secrets.jdbc.internal.SecretLocation;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * AWS's rotation strategies, step by step in the order of its rotation function, while a HikariCP
 * pool of 6 is busy on 6 threads and its connections are evicted so that new logins happen during
 * every phase. Not one borrow may fail.
 */
@ExtendWith(NoPasswordsInLogs.class)
@Timeout(120)
class RotationUnderLoadTest {

  private static final int POOL_SIZE = 6;
  private static final int LOGINS_PER_PHASE = 12;

  @Test
  void singleUserRotationInAwsOrderFailsNoBorrow() throws Exception {
    TestDeployment app =
        TestDeployment.builder("single_user").secretId(unique("single-user-rotation")).create();
    String secret = app.secretId();
    String newPassword = app.newPassword();
    PazPazSecretsDriver driver = app.driver();

    try (PoolLoad load = new PoolLoad(driver, app.url(), POOL_SIZE)) {
      load.awaitNewLogins(LOGINS_PER_PHASE);

      // createSecret: the new password as AWSPENDING.
      String pending = app.storeVersion(newPassword, "AWSPENDING");
      load.awaitNewLogins(LOGINS_PER_PHASE);

      // setSecret: the database takes the new password; AWSCURRENT still holds the old one.
      app.alterPassword(newPassword);
      load.awaitNewLogins(LOGINS_PER_PHASE);

      // testSecret: the rotation function logs in with the pending password.
      testLogin(app.role(), newPassword);
      load.awaitNewLogins(LOGINS_PER_PHASE);

      // finishSecret: AWSCURRENT moves to the new version.
      secretsManager().moveStage(secret, "AWSCURRENT", pending);
      load.awaitNewLogins(LOGINS_PER_PHASE);
      awaitLoginsWithVersion(driver, app.url(), pending, load);
      load.awaitNewLogins(LOGINS_PER_PHASE);

      assertEquals(List.of(), load.failures(), "failed borrows");
      assertTrue(load.logins() >= 6 * LOGINS_PER_PHASE, "logins: " + load.logins());
      int calls = secretsManager().calls("GetSecretValue", secret);
      assertTrue(calls <= 10, "GetSecretValue calls: " + calls);
      System.out.printf(
          "single-user rotation: %d borrows, %d logins, 0 failed, %d GetSecretValue calls%n",
          load.borrows(), load.logins(), calls);
    }
  }

  @Test
  void alternatingUsersRotationFailsNoBorrowEvenWhenTheOldRoleIsLockedOut() throws Exception {
    TestDeployment app =
        TestDeployment.builder("alt_app").secretId(unique("alternating-rotation")).create();
    String role = app.role();
    String secret = app.secretId();
    String clone = role + "_clone";
    String clonePassword = password(clone);
    createRole(clone, password(clone));
    PazPazSecretsDriver driver = app.driver();

    try (PoolLoad load = new PoolLoad(driver, app.url(), POOL_SIZE)) {
      load.awaitNewLogins(LOGINS_PER_PHASE);

      // createSecret: the other user with a new password as AWSPENDING.
      String pending =
          app.storeVersion(
              app.storedSecret().withUsername(clone).withPassword(clonePassword), "AWSPENDING");
      load.awaitNewLogins(LOGINS_PER_PHASE);

      // setSecret: the clone gets the new password; the current user is untouched.
      postgres().alterPassword(clone, clonePassword);
      load.awaitNewLogins(LOGINS_PER_PHASE);

      testLogin(clone, clonePassword);
      load.awaitNewLogins(LOGINS_PER_PHASE);

      // finishSecret.
      secretsManager().moveStage(secret, "AWSCURRENT", pending);
      load.awaitNewLogins(LOGINS_PER_PHASE);

      // The old role stops being able to log in (SQLState 28000, as from a proxy that no longer
      // knows it): the cached credentials fail and the driver must move to the clone.
      try (Connection admin = postgres().adminConnection();
          Statement statement = admin.createStatement()) {
        statement.execute("ALTER ROLE \"" + role + "\" NOLOGIN");
      }
      load.awaitNewLogins(LOGINS_PER_PHASE);
      awaitLoginsWithVersion(driver, app.url(), pending, load);

      assertEquals(List.of(), load.failures(), "failed borrows");
      int calls = secretsManager().calls("GetSecretValue", secret);
      assertTrue(calls <= 10, "GetSecretValue calls: " + calls);
      System.out.printf(
          "alternating-users rotation: %d borrows, %d logins, 0 failed, %d GetSecretValue calls%n",
          load.borrows(), load.logins(), calls);
    }
  }

  private static void testLogin(String role, String password) throws SQLException {
    Properties properties = postgres().tlsProperties();
    properties.setProperty("user", role);
    properties.setProperty("password", password);
    DriverManager.getConnection(postgres().jdbcUrl(DriverTestSupport.DATABASE), properties).close();
  }

  /**
   * Waits until new logins use the promoted version: from the cache, or (single user) as the login
   * remembered from the window, which the cache replaces at its next refresh.
   */
  private static void awaitLoginsWithVersion(
      PazPazSecretsDriver driver, String url, String version, PoolLoad load) throws SQLException {
    SecretLocation location = driver.settings(url, new Properties()).secretLocation();
    SecretMXBean metrics = DriverTestSupport.metrics(driver, location);
    while (!version.equals(metrics.getCurrentVersionId())
        && !version.equals(metrics.getLoginVersionId())) {
      load.awaitNewLogins(1);
    }
  }
}
