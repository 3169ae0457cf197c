package com.pazpaz.secrets.jdbc;

import static com.pazpaz.secrets.jdbc.DriverTestSupport.createRole;
import static com.pazpaz.secrets.jdbc.DriverTestSupport.password;
import static com.pazpaz.secrets.jdbc.DriverTestSupport.postgres;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pazpaz.secrets.jdbc.testing.LogCapture;
import com.pazpaz.secrets.jdbc.testing.PostgresServerLog;
import com.pazpaz.secrets.jdbc.testing.TestSecret;
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
    TestDeployment app = TestDeployment.create("window_app");
    String newPassword = app.newPassword();
    String oldVersion = app.versionId("AWSCURRENT");
    PazPazSecretsDriver driver = app.driver();
    String url = app.url(CACHE_TTL);
    SecretMXBean metrics = metrics(driver, url);
    PostgresServerLog serverLog = postgres().serverLog();

    try (LogCapture logs = LogCapture.finest();
        ConnectPerRequestLoad load = new ConnectPerRequestLoad(driver, url, THREADS)) {
      load.awaitNewConnects(20);
      String pending = app.storeVersion(newPassword, "AWSPENDING");
      load.awaitNewConnects(20);

      Window window = Window.open(serverLog, app, () -> app.alterPassword(newPassword));
      load.awaitNewConnects(20);
      load.runFor(WINDOW);
      // Mid-window: the pending version is what connects log in with, never the cached value.
      assertEquals(pending, metrics.getLoginVersionId());
      assertEquals("AWSPENDING", metrics.getLoginStage());
      assertEquals(oldVersion, metrics.getCurrentVersionId());
      window.close(pending);

      awaitLine(logs, "rotation_completed", () -> load.awaitNewConnects(1));
      load.awaitNewConnects(20);
      load.close();

      assertEquals(List.of(), load.failures(), "failed connects");
      assertEquals("", metrics.getLoginVersionId());
      assertEquals("", metrics.getLoginStage());
      assertEquals(pending, metrics.getCurrentVersionId());
      assertWindowEnded(
          window,
          THREADS,
          metrics,
          logs,
          "single-user",
          THREADS + " threads connect per request: " + load.connects() + " connects");
    }
  }

  @Test
  void pooledConnectionsEvictedThroughAHeldWindowAreRefusedAtMostOncePerConnection()
      throws Exception {
    TestDeployment app = TestDeployment.create("window_pool");
    String newPassword = app.newPassword();
    PazPazSecretsDriver driver = app.driver();
    String url = app.url(CACHE_TTL);
    SecretMXBean metrics = metrics(driver, url);
    PostgresServerLog serverLog = postgres().serverLog();

    try (LogCapture logs = LogCapture.finest();
        PoolLoad load = new PoolLoad(driver, url, POOL_SIZE)) {
      load.awaitNewLogins(12);
      String pending = app.storeVersion(newPassword, "AWSPENDING");
      load.awaitNewLogins(12);

      Window window = Window.open(serverLog, app, () -> app.alterPassword(newPassword));
      load.awaitNewLogins(12);
      sleep(WINDOW);
      assertEquals(pending, metrics.getLoginVersionId());
      window.close(pending);

      awaitLine(logs, "rotation_completed", () -> load.awaitNewLogins(1));
      load.awaitNewLogins(12);
      load.close();

      assertEquals(List.of(), load.failures(), "failed borrows");
      // HikariCP opens connections on its own threads; each may be refused once.
      assertWindowEnded(
          window,
          POOL_SIZE,
          metrics,
          logs,
          "single-user",
          "HikariCP pool of "
              + POOL_SIZE
              + " evicted every 25 ms: "
              + load.logins()
              + " logins, "
              + load.borrows()
              + " borrows");
    }
  }

  @Test
  void alternatingUsersWindowWithTheOldRoleLockedOutMovesToTheOtherRoleOncePerThread()
      throws Exception {
    // The secret starts as a single-user one; the test plays the rotation's part with the clone.
    TestDeployment app = TestDeployment.create("window_alt");
    String role = app.role();
    String clone = role + "_clone";
    String clonePassword = password(clone);
    createRole(clone, password(clone));
    PazPazSecretsDriver driver = app.driver();
    String url = app.url(CACHE_TTL);
    SecretMXBean metrics = metrics(driver, url);
    PostgresServerLog serverLog = postgres().serverLog();

    try (LogCapture logs = LogCapture.finest();
        ConnectPerRequestLoad load = new ConnectPerRequestLoad(driver, url, THREADS)) {
      load.awaitNewConnects(20);
      // createSecret and setSecret: the other role with a new password, not yet promoted.
      String pending = app.storeVersion(TestSecret.singleUser(clone, clonePassword), "AWSPENDING");
      postgres().alterPassword(clone, clonePassword);
      load.awaitNewConnects(20);
      long cloneMark = serverLog.mark();

      // The current role stops being allowed to log in (SQLState 28000) before the promotion.
      Window window =
          Window.open(serverLog, app, () -> execute("ALTER ROLE \"" + role + "\" NOLOGIN"));
      load.awaitNewConnects(20);
      load.runFor(WINDOW);
      assertEquals(pending, metrics.getLoginVersionId());
      assertEquals("AWSPENDING", metrics.getLoginStage());
      window.close(pending);

      awaitLine(logs, "rotation_completed", () -> load.awaitNewConnects(1));
      load.awaitNewConnects(20);
      load.close();

      assertEquals(List.of(), load.failures(), "failed connects");
      assertEquals(0, serverLog.rejectedLogins(clone, cloneMark), "refused logins of the clone");
      assertEquals("", metrics.getLoginStage());
      // The refused logins the window counts are the old role's, the deployment's own.
      assertWindowEnded(
          window,
          THREADS,
          metrics,
          logs,
          "alternating-users",
          "old role NOLOGIN, " + THREADS + " threads: " + load.connects() + " connects");
    }
  }

  @Test
  void abandonedRotationCostsAtMostOneRefusedLoginPerThreadAndForgetsThePendingLogin()
      throws Exception {
    TestDeployment app = TestDeployment.create("window_abandoned");
    String role = app.role();
    String oldPassword = app.password();
    String newPassword = app.newPassword();
    PazPazSecretsDriver driver = app.driver();
    String url = app.url();
    SecretMXBean metrics = metrics(driver, url);
    PostgresServerLog serverLog = postgres().serverLog();

    try (ConnectPerRequestLoad load = new ConnectPerRequestLoad(driver, url, THREADS)) {
      load.awaitNewConnects(20);
      String pending = app.storeVersion(newPassword, "AWSPENDING");
      long windowMark = serverLog.mark();
      app.alterPassword(newPassword);
      await(() -> pending.equals(metrics.getLoginVersionId()), () -> load.awaitNewConnects(1));
      load.awaitNewConnects(20);
      int refusedInWindow = serverLog.rejectedLogins(role, windowMark);

      // The rotation is given up: the database gets the old password back, AWSPENDING goes.
      long abandonMark = serverLog.mark();
      app.alterPassword(oldPassword);
      app.secretsManager().removeStage(app.secretId(), "AWSPENDING");
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
   * What every held window ends with, once the load has stopped: PostgreSQL refused the
   * deployment's role at most {@code maxRefused} times since the window opened, RejectedLogins
   * counted exactly those, the window was detected and the rotation completed once each for the
   * promoted version, and GetSecretValue stayed within the window's budget. Then the report line,
   * e.g. "held single-user window of 5 s, {@code load}, 0 failed, ...".
   */
  private static void assertWindowEnded(
      Window window,
      int maxRefused,
      SecretMXBean metrics,
      LogCapture logs,
      String strategy,
      String load) {
    int refused = window.rejectedLogins();
    assertTrue(refused <= maxRefused, "refused logins of " + window.role() + ": " + refused);
    assertEquals(refused, metrics.getRejectedLogins(), "RejectedLogins");
    assertOnce(logs, "rotation_window_detected", "version=" + window.promoted());
    assertOnce(logs, "rotation_completed", "version=" + window.promoted());
    int calls = window.callsSinceOpened();
    assertTrue(calls <= window.callBudget(), calls + " calls, budget " + window.callBudget());
    System.out.printf(
        "held %s window of %d s, %s, 0 failed, %d refused logins in PostgreSQL's log,"
            + " %d GetSecretValue calls%n",
        strategy, window.seconds(), load, refused, calls);
  }

  /**
   * The database change that opens a window, the promotion that closes it, and what the test counts
   * from the opening: the role's refused logins in PostgreSQL's log and the GetSecretValue calls.
   */
  private static final class Window {
    private final PostgresServerLog log;
    private final TestDeployment app;
    private final long mark;
    private final int callsBefore;
    private final long openedNanos;
    private long closedNanos;
    private String promoted;

    private Window(PostgresServerLog log, TestDeployment app) {
      this.log = log;
      this.app = app;
      this.mark = log.mark();
      this.callsBefore = calls(app);
      this.openedNanos = System.nanoTime();
    }

    static Window open(PostgresServerLog log, TestDeployment app, Runnable databaseChange) {
      Window window = new Window(log, app);
      databaseChange.run();
      return window;
    }

    /** finishSecret: AWSCURRENT moves to the pending version. */
    void close(String pendingVersion) {
      app.secretsManager().moveStage(app.secretId(), "AWSCURRENT", pendingVersion);
      promoted = pendingVersion;
      closedNanos = System.nanoTime();
    }

    String role() {
      return app.role();
    }

    /** The version {@link #close} promoted. */
    String promoted() {
      return promoted;
    }

    /** Logins of the role PostgreSQL refused since the window opened. */
    int rejectedLogins() {
      return log.rejectedLogins(app.role(), mark);
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
      return calls(app) - callsBefore;
    }

    private static int calls(TestDeployment app) {
      return app.secretsManager().calls("GetSecretValue", app.secretId());
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
