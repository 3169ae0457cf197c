package com.pazpaz.secrets.jdbc;

import static com.pazpaz.secrets.jdbc.DriverTestSupport.createRole;
import static com.pazpaz.secrets.jdbc.DriverTestSupport.isolatedDriver;
import static com.pazpaz.secrets.jdbc.DriverTestSupport.password;
import static com.pazpaz.secrets.jdbc.DriverTestSupport.postgres;
import static com.pazpaz.secrets.jdbc.DriverTestSupport.secretJson;
import static com.pazpaz.secrets.jdbc.DriverTestSupport.secretsManager;
import static com.pazpaz.secrets.jdbc.DriverTestSupport.unique;
import static com.pazpaz.secrets.jdbc.DriverTestSupport.url;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pazpaz.secrets.jdbc.testing.LogCapture;
import com.pazpaz.secrets.jdbc.testing.PostgresServerLog;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A rotation window held open for seconds (the database already has the new login, AWSCURRENT still
 * the old one) while an application connects all the time, counted the way an operator counts: the
 * lines PostgreSQL's own log writes for refused logins. Each thread connecting when the database
 * changes may be refused once; every later connect uses the login the database accepted.
 */
@ExtendWith(NoPasswordsInLogs.class)
@Timeout(180)
class RotationWindowTest {

  private static final int THREADS = 4;
  private static final int POOL_SIZE = 6;
  private static final Duration WINDOW = Duration.ofSeconds(5);
  // Short, so that the promoted version reaches the cache (and rotation_completed the log) within
  // the test; every refresh it makes counts against the call budget below.
  private static final String CACHE_TTL = "cacheTtl=PT2S";

  @Test
  void connectPerRequestThroughAHeldSingleUserWindowIsRefusedAtMostOncePerThread()
      throws Exception {
    String role = unique("window_app");
    String oldPassword = password(role);
    String newPassword = password(role);
    createRole(role, oldPassword);
    String secret = unique("held-window");
    secretsManager().createSecret(secret, secretJson(role, oldPassword));
    String oldVersion = secretsManager().versionId(secret, "AWSCURRENT");
    PazPazSecretsDriver driver = isolatedDriver();
    String url = url(secret, CACHE_TTL);
    SecretMXBean metrics = metrics(driver, url);
    PostgresServerLog serverLog = postgres().serverLog();

    try (LogCapture logs = LogCapture.finest();
        ConnectPerRequestLoad load = new ConnectPerRequestLoad(driver, url, THREADS)) {
      load.awaitNewConnects(20);
      String pending =
          secretsManager().putSecretValue(secret, secretJson(role, newPassword), "AWSPENDING");
      load.awaitNewConnects(20);

      Window window =
          Window.open(serverLog, secret, () -> postgres().alterPassword(role, newPassword));
      load.awaitNewConnects(20);
      load.runFor(WINDOW);
      // Mid-window: the pending version is what connects log in with, never the cached value.
      assertEquals(pending, metrics.getLoginVersionId());
      assertEquals("AWSPENDING", metrics.getLoginStage());
      assertEquals(oldVersion, metrics.getCurrentVersionId());
      window.close(() -> secretsManager().moveStage(secret, "AWSCURRENT", pending));

      awaitLine(logs, "rotation_completed", () -> load.awaitNewConnects(1));
      load.awaitNewConnects(20);
      load.close();

      assertEquals(List.of(), load.failures(), "failed connects");
      int refused = serverLog.rejectedLogins(role, window.mark());
      assertTrue(refused <= THREADS, "refused logins: " + refused);
      assertEquals(refused, metrics.getRejectedLogins(), "RejectedLogins");
      assertEquals("", metrics.getLoginVersionId());
      assertEquals("", metrics.getLoginStage());
      assertEquals(pending, metrics.getCurrentVersionId());
      assertOnce(logs, "rotation_window_detected", "version=" + pending);
      assertOnce(logs, "rotation_completed", "version=" + pending);
      int calls = window.callsSinceOpened();
      assertTrue(calls <= window.callBudget(), calls + " calls, budget " + window.callBudget());
      System.out.printf(
          "held single-user window of %d s, %d threads connect per request: %d connects,"
              + " 0 failed, %d refused logins in PostgreSQL's log, %d GetSecretValue calls%n",
          window.seconds(), THREADS, load.connects(), refused, calls);
    }
  }

  @Test
  void pooledConnectionsEvictedThroughAHeldWindowAreRefusedAtMostOncePerConnection()
      throws Exception {
    String role = unique("window_pool");
    String oldPassword = password(role);
    String newPassword = password(role);
    createRole(role, oldPassword);
    String secret = unique("held-window-pool");
    secretsManager().createSecret(secret, secretJson(role, oldPassword));
    PazPazSecretsDriver driver = isolatedDriver();
    String url = url(secret, CACHE_TTL);
    SecretMXBean metrics = metrics(driver, url);
    PostgresServerLog serverLog = postgres().serverLog();

    try (LogCapture logs = LogCapture.finest();
        PoolLoad load = new PoolLoad(driver, url, POOL_SIZE)) {
      load.awaitNewLogins(12);
      String pending =
          secretsManager().putSecretValue(secret, secretJson(role, newPassword), "AWSPENDING");
      load.awaitNewLogins(12);

      Window window =
          Window.open(serverLog, secret, () -> postgres().alterPassword(role, newPassword));
      load.awaitNewLogins(12);
      sleep(WINDOW);
      assertEquals(pending, metrics.getLoginVersionId());
      window.close(() -> secretsManager().moveStage(secret, "AWSCURRENT", pending));

      awaitLine(logs, "rotation_completed", () -> load.awaitNewLogins(1));
      load.awaitNewLogins(12);
      load.close();

      assertEquals(List.of(), load.failures(), "failed borrows");
      int refused = serverLog.rejectedLogins(role, window.mark());
      // HikariCP opens connections on its own threads; each may be refused once.
      assertTrue(refused <= POOL_SIZE, "refused logins: " + refused);
      assertEquals(refused, metrics.getRejectedLogins(), "RejectedLogins");
      assertOnce(logs, "rotation_window_detected", "version=" + pending);
      assertOnce(logs, "rotation_completed", "version=" + pending);
      int calls = window.callsSinceOpened();
      assertTrue(calls <= window.callBudget(), calls + " calls, budget " + window.callBudget());
      System.out.printf(
          "held single-user window of %d s, HikariCP pool of %d evicted every 25 ms: %d logins,"
              + " %d borrows, 0 failed, %d refused logins in PostgreSQL's log, %d GetSecretValue"
              + " calls%n",
          window.seconds(), POOL_SIZE, load.logins(), load.borrows(), refused, calls);
    }
  }

  @Test
  void alternatingUsersWindowWithTheOldRoleLockedOutMovesToTheOtherRoleOncePerThread()
      throws Exception {
    String role = unique("window_alt");
    String clone = role + "_clone";
    String rolePassword = password(role);
    String clonePassword = password(clone);
    createRole(role, rolePassword);
    createRole(clone, password(clone));
    String secret = unique("held-window-alternating");
    secretsManager().createSecret(secret, secretJson(role, rolePassword));
    PazPazSecretsDriver driver = isolatedDriver();
    String url = url(secret, CACHE_TTL);
    SecretMXBean metrics = metrics(driver, url);
    PostgresServerLog serverLog = postgres().serverLog();

    try (LogCapture logs = LogCapture.finest();
        ConnectPerRequestLoad load = new ConnectPerRequestLoad(driver, url, THREADS)) {
      load.awaitNewConnects(20);
      // createSecret and setSecret: the other role with a new password, not yet promoted.
      String pending =
          secretsManager().putSecretValue(secret, secretJson(clone, clonePassword), "AWSPENDING");
      postgres().alterPassword(clone, clonePassword);
      load.awaitNewConnects(20);
      long cloneMark = serverLog.mark();

      // The current role stops being allowed to log in (SQLState 28000) before the promotion.
      Window window =
          Window.open(serverLog, secret, () -> execute("ALTER ROLE \"" + role + "\" NOLOGIN"));
      load.awaitNewConnects(20);
      load.runFor(WINDOW);
      assertEquals(pending, metrics.getLoginVersionId());
      assertEquals("AWSPENDING", metrics.getLoginStage());
      window.close(() -> secretsManager().moveStage(secret, "AWSCURRENT", pending));

      awaitLine(logs, "rotation_completed", () -> load.awaitNewConnects(1));
      load.awaitNewConnects(20);
      load.close();

      assertEquals(List.of(), load.failures(), "failed connects");
      int refused = serverLog.rejectedLogins(role, window.mark());
      assertTrue(refused <= THREADS, "refused logins of the old role: " + refused);
      assertEquals(0, serverLog.rejectedLogins(clone, cloneMark), "refused logins of the clone");
      assertEquals(refused, metrics.getRejectedLogins(), "RejectedLogins");
      assertEquals("", metrics.getLoginStage());
      assertOnce(logs, "rotation_window_detected", "version=" + pending);
      assertOnce(logs, "rotation_completed", "version=" + pending);
      int calls = window.callsSinceOpened();
      assertTrue(calls <= window.callBudget(), calls + " calls, budget " + window.callBudget());
      System.out.printf(
          "held alternating-users window of %d s (old role NOLOGIN), %d threads: %d connects,"
              + " 0 failed, %d refused logins in PostgreSQL's log, %d GetSecretValue calls%n",
          window.seconds(), THREADS, load.connects(), refused, calls);
    }
  }

  @Test
  void abandonedRotationCostsAtMostOneRefusedLoginPerThreadAndForgetsThePendingLogin()
      throws Exception {
    String role = unique("window_abandoned");
    String oldPassword = password(role);
    String newPassword = password(role);
    createRole(role, oldPassword);
    String secret = unique("abandoned-window");
    secretsManager().createSecret(secret, secretJson(role, oldPassword));
    PazPazSecretsDriver driver = isolatedDriver();
    String url = url(secret);
    SecretMXBean metrics = metrics(driver, url);
    PostgresServerLog serverLog = postgres().serverLog();

    try (ConnectPerRequestLoad load = new ConnectPerRequestLoad(driver, url, THREADS)) {
      load.awaitNewConnects(20);
      String pending =
          secretsManager().putSecretValue(secret, secretJson(role, newPassword), "AWSPENDING");
      long windowMark = serverLog.mark();
      postgres().alterPassword(role, newPassword);
      await(() -> pending.equals(metrics.getLoginVersionId()), () -> load.awaitNewConnects(1));
      load.awaitNewConnects(20);
      int refusedInWindow = serverLog.rejectedLogins(role, windowMark);

      // The rotation is given up: the database gets the old password back, AWSPENDING goes.
      long abandonMark = serverLog.mark();
      postgres().alterPassword(role, oldPassword);
      secretsManager().removeStage(secret, "AWSPENDING");
      await(() -> metrics.getLoginStage().isEmpty(), () -> load.awaitNewConnects(1));
      load.awaitNewConnects(40);
      load.close();

      assertEquals(List.of(), load.failures(), "failed connects");
      assertTrue(refusedInWindow <= THREADS, "refused in the window: " + refusedInWindow);
      int refusedAfter = serverLog.rejectedLogins(role, abandonMark);
      assertTrue(
          refusedAfter >= 1 && refusedAfter <= THREADS, "refused after abandon: " + refusedAfter);
      assertEquals("", metrics.getLoginVersionId());
      System.out.printf(
          "abandoned rotation, %d threads: %d connects, 0 failed, %d refused logins when the window"
              + " opened, %d when it was abandoned%n",
          THREADS, load.connects(), refusedInWindow, refusedAfter);
    }
  }

  /**
   * The database change that opens a window, and what the test counts from it: PostgreSQL's log and
   * the GetSecretValue calls.
   */
  private static final class Window {
    private final String secret;
    private final long mark;
    private final int callsBefore;
    private final long openedNanos;
    private long closedNanos;

    private Window(String secret, long mark, int callsBefore) {
      this.secret = secret;
      this.mark = mark;
      this.callsBefore = callsBefore;
      this.openedNanos = System.nanoTime();
    }

    static Window open(PostgresServerLog log, String secret, Runnable databaseChange) {
      Window window =
          new Window(secret, log.mark(), secretsManager().calls("GetSecretValue", secret));
      databaseChange.run();
      return window;
    }

    void close(Runnable promotion) {
      promotion.run();
      closedNanos = System.nanoTime();
    }

    long mark() {
      return mark;
    }

    /** Whole seconds the window was open, rounded up. */
    int seconds() {
      return (int) Math.ceil((closedNanos - openedNanos) / 1e9);
    }

    /** The first forced read (AWSCURRENT and AWSPENDING), then at most one call a second. */
    int callBudget() {
      return 2 + seconds();
    }

    int callsSinceOpened() {
      return secretsManager().calls("GetSecretValue", secret) - callsBefore;
    }
  }

  private static SecretMXBean metrics(PazPazSecretsDriver driver, String url) throws SQLException {
    return DriverTestSupport.metrics(
        driver, driver.settings(url, new Properties()).secretLocation());
  }

  private static void awaitLine(LogCapture logs, String event, Runnable progress) {
    await(() -> !logs.linesContaining(event).isEmpty(), progress);
  }

  /** Lets the load make progress until the condition holds (the load fails after 60 s idle). */
  private static void await(BooleanSupplier condition, Runnable progress) {
    while (!condition.getAsBoolean()) {
      progress.run();
    }
  }

  private static void assertOnce(LogCapture logs, String event, String detail) {
    List<String> lines = logs.linesContaining(event);
    assertEquals(1, lines.size(), lines.toString());
    assertTrue(lines.get(0).contains(detail), lines.get(0));
  }

  private static void execute(String sql) {
    try (Connection admin = postgres().adminConnection();
        Statement statement = admin.createStatement()) {
      statement.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void sleep(Duration duration) throws InterruptedException {
    Thread.sleep(duration.toMillis());
  }
}
