package com.pazpaz.secrets.jdbc.cli;

import static com.pazpaz.secrets.jdbc.DriverTestSupport.createRole;
import static com.pazpaz.secrets.jdbc.DriverTestSupport.password;
import static com.pazpaz.secrets.jdbc.DriverTestSupport.postgres;
import static com.pazpaz.secrets.jdbc.DriverTestSupport.queryString;
import static com.pazpaz.secrets.jdbc.DriverTestSupport.secretsManager;
import static com.pazpaz.secrets.jdbc.DriverTestSupport.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.pazpaz.secrets.jdbc.DriverTestSupport;
import com.pazpaz.secrets.jdbc.NoPasswordsInLogs;
import com.pazpaz.secrets.jdbc.PoolLoad;
import com.pazpaz.secrets.jdbc.TestDeployment;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * rotate --end-sessions, the response to a leaked password: after the rotation, the sessions the
 * role opened before it are gone (a thief's among them), the application's pool is back to full
 * with new connections, and another role's session is untouched.
 */
@ExtendWith(NoPasswordsInLogs.class)
@Timeout(180)
class EndSessionsTest {

  private static final int POOL_SIZE = 4;
  private static final Pattern ENDED =
      Pattern.compile("Ended (\\d+) session\\(s\\) of role (\\S+)");

  @Test
  void oldSessionsEndAndThePoolReconnectsWithTheNewPassword() throws Exception {
    TestDeployment app = TestDeployment.create("leaked_app");
    String role = app.role();
    String bystanderRole = unique("leaked_bystander");
    String bystanderPassword = password(bystanderRole);
    createRole(bystanderRole, bystanderPassword);

    // A pool whose connections live on, as with a long maxLifetime: every session predates the
    // rotation. The thief holds a session opened with the stolen password.
    try (PoolLoad load = new PoolLoad(app.driver(), app.url(), POOL_SIZE, false);
        Connection thief = login(role, app.password());
        Connection bystander = login(bystanderRole, bystanderPassword)) {
      awaitPoolSessions(role, Set.of(), POOL_SIZE + 1);
      Set<Integer> before = sessionsOf(role);
      Set<Integer> bystanderBefore = sessionsOf(bystanderRole);
      assertEquals(POOL_SIZE + 1, before.size(), "the pool's sessions and the thief's");

      ToolRunner.Result result = ToolRunner.run("rotate", app.url(), "--end-sessions");
      rememberCurrentPassword(app.secretId());

      assertEquals(0, result.exitCode(), result.toString());
      Matcher ended = ENDED.matcher(result.out());
      assertTrue(ended.find(), result.out());
      assertEquals(role, ended.group(2));
      assertTrue(
          Integer.parseInt(ended.group(1)) >= before.size(),
          ended.group(1) + " ended, " + before.size() + " were open");
      assertTrue(result.out().contains("sessions of other roles were not touched"), result.out());

      Set<Integer> survivors = new HashSet<>(sessionsOf(role));
      survivors.retainAll(before);
      assertEquals(Set.of(), survivors, "sessions opened before the rotation");
      assertFalse(thief.isValid(2), "the thief's session is still open");
      assertEquals(bystanderBefore, sessionsOf(bystanderRole));
      assertEquals(bystanderRole, queryString(bystander, "SELECT current_user"));

      Set<Integer> now = awaitPoolSessions(role, before, POOL_SIZE);
      assertEquals(POOL_SIZE, now.size(), "the pool is back to full");
      assertEquals(POOL_SIZE, load.totalConnections());
      long borrowsAfter = load.borrows();
      Thread.sleep(200);
      assertTrue(load.borrows() > borrowsAfter, "the pool serves again");

      int failed = load.failures().size();
      System.out.printf(
          "rotate --end-sessions under a pool of %d: %d failed borrows of %d%n",
          POOL_SIZE, failed, load.borrows() + failed);
      load.failures().stream()
          .map(e -> e instanceof SQLException sql ? sql.getSQLState() + " " : "" + e)
          .distinct()
          .forEach(state -> System.out.println("  failed borrow: " + state));
      // Statements in flight on a terminated session fail, at most about one per connection.
      assertTrue(failed <= 2 * POOL_SIZE, failed + " failed borrows: " + load.failures());
    }
  }

  @Test
  void withAlternatingUsersEachUsersOldSessionsEndAndOtherRolesStay() throws Exception {
    TestDeployment app = TestDeployment.builder("leaked_alt").alternatingUsers().create();
    String role = app.role();
    String password = app.password();
    String secret = app.secretId();
    String master = role + "_master";
    // The master's password, as the master secret holds it.
    String masterPassword = rememberCurrentPassword(app.masterSecretId());

    try (Connection thief = login(role, password);
        Connection masterSession = login(master, masterPassword)) {
      ToolRunner.Result first =
          ToolRunner.run("rotate", app.url(), "--strategy", "alternating", "--end-sessions");
      rememberCurrentPassword(secret);
      assertEquals(0, first.exitCode(), first.toString());
      String out = first.out().replaceAll("\n", " ");
      assertTrue(out.contains("Ended 0 session(s) of role " + role + "_clone"), out);
      assertTrue(out.contains("Ended 1 session(s) of role " + role + " "), out);
      assertTrue(out.contains("User " + role + " (AWSPREVIOUS) still has its password"), out);
      assertFalse(thief.isValid(2), "the previous user's old session is still open");
      assertEquals(master, queryString(masterSession, "SELECT current_user"));

      ToolRunner.Result second =
          ToolRunner.run("rotate", app.url(), "--strategy", "alternating", "--end-sessions");
      rememberCurrentPassword(secret);
      assertEquals(0, second.exitCode(), second.toString());
      assertFalse(DriverTestSupport.logsIn(role, password), "the leaked password still works");
      assertEquals(master, queryString(masterSession, "SELECT current_user"));
    }
  }

  @Test
  void theFlagTakesNoValueAndIsInTheHelp() {
    ToolRunner.Result wrong = ToolRunner.run("rotate", "--end-sessions=yes");
    assertEquals(2, wrong.exitCode(), wrong.toString());
    assertTrue(wrong.err().contains("--end-sessions takes no value"), wrong.err());

    ToolRunner.Result help = ToolRunner.run("rotate", "--help");
    assertEquals(0, help.exitCode(), help.toString());
    assertTrue(help.out().contains("--end-sessions"), help.out());
  }

  /** Waits until the role has {@code count} sessions, none of them in {@code before}. */
  private static Set<Integer> awaitPoolSessions(String role, Set<Integer> before, int count)
      throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    Set<Integer> now = sessionsOf(role);
    while ((now.size() != count || now.stream().anyMatch(before::contains))
        && System.nanoTime() < deadline) {
      Thread.sleep(50);
      now = sessionsOf(role);
    }
    return now;
  }

  private static Set<Integer> sessionsOf(String role) throws SQLException {
    try (Connection admin = postgres().adminConnection(DriverTestSupport.DATABASE);
        PreparedStatement statement =
            admin.prepareStatement(
                "SELECT pid FROM pg_stat_activity WHERE usename = ?"
                    + " AND backend_type = 'client backend'")) {
      statement.setString(1, role);
      Set<Integer> pids = new HashSet<>();
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          pids.add(rows.getInt(1));
        }
      }
      return pids;
    }
  }

  private static Connection login(String role, String password) throws SQLException {
    Properties properties = postgres().tlsProperties();
    properties.setProperty("user", role);
    properties.setProperty("password", password);
    return DriverManager.getConnection(postgres().jdbcUrl(DriverTestSupport.DATABASE), properties);
  }

  /**
   * Remembers the password of the secret's AWSCURRENT version (e.g. one the rotation generated) for
   * the leak checks, and returns it.
   */
  private static String rememberCurrentPassword(String secret) throws Exception {
    String password =
        new ObjectMapper()
            .readTree(secretsManager().secretString(secret, "AWSCURRENT"))
            .get("password")
            .asText();
    DriverTestSupport.rememberPassword(password);
    return password;
  }
}
