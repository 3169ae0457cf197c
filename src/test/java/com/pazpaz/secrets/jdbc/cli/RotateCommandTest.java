package com.pazpaz.secrets.jdbc.cli;

import static com.pazpaz.secrets.jdbc.DriverTestSupport.createRole;
import static com.pazpaz.secrets.jdbc.DriverTestSupport.isolatedDriver;
import static com.pazpaz.secrets.jdbc.DriverTestSupport.logsIn;
import static com.pazpaz.secrets.jdbc.DriverTestSupport.password;
import static com.pazpaz.secrets.jdbc.DriverTestSupport.postgres;
import static com.pazpaz.secrets.jdbc.DriverTestSupport.secretJson;
import static com.pazpaz.secrets.jdbc.DriverTestSupport.secretsManager;
import static com.pazpaz.secrets.jdbc.DriverTestSupport.unique;
import static com.pazpaz.secrets.jdbc.DriverTestSupport.url;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.pazpaz.secrets.jdbc.DriverTestSupport;
import com.pazpaz.secrets.jdbc.NoPasswordsInLogs;
import com.pazpaz.secrets.jdbc.PazPazSecretsDriver;
import com.pazpaz.secrets.jdbc.PoolLoad;
import com.pazpaz.secrets.jdbc.rotation.RotationStep;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue 6, point 2: rotate, single-user and alternating-users, against the embedded PostgreSQL and
 * the local Secrets Manager while a HikariCP pool keeps querying through the driver. A rotation
 * killed after any step completes on the next run, and not one borrow fails.
 */
@ExtendWith(NoPasswordsInLogs.class)
@Timeout(180)
class RotateCommandTest {

  private static final int POOL_SIZE = 4;
  private static final int LOGINS = 8;
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void singleUserRotationChangesThePasswordWithoutAFailedBorrow() throws Exception {
    Fixture app = Fixture.singleUser("rotate_single");
    try (PoolLoad load = new PoolLoad(isolatedDriver(), url(app.secret), POOL_SIZE)) {
      load.awaitNewLogins(LOGINS);
      String before = secretsManager().versionId(app.secret, "AWSCURRENT");

      ToolRunner.Result result = ToolRunner.run("rotate", url(app.secret));
      load.awaitNewLogins(LOGINS);

      assertEquals(0, result.exitCode(), result.toString());
      String after = secretsManager().versionId(app.secret, "AWSCURRENT");
      assertNotEquals(before, after);
      assertTrue(result.out().contains("new version " + after), result.out());
      for (String line :
          List.of(
              "Rotating secret '" + app.secret + "' (region us-east-1, strategy single)",
              "1/4 createSecret  stored a new 64-character password for user " + app.role,
              "2/4 setSecret     changed the password of role " + app.role + " (SCRAM-SHA-256",
              "3/4 testSecret    logged in as " + app.role + " with the new password",
              "4/4 finishSecret  AWSCURRENT is the new version; the old one is AWSPREVIOUS",
              "Rotated: AWSCURRENT is version " + after + " (user " + app.role + ")")) {
        assertTrue(result.out().contains(line), line + "\n" + result);
      }
      assertRotated(app, before);
      assertEquals(List.of(), load.failures(), "failed borrows");
    }
  }

  @ParameterizedTest
  @EnumSource(RotationStep.class)
  void singleUserRotationKilledAfterAStepCompletesOnTheNextRun(RotationStep killedAfter)
      throws Exception {
    Fixture app = Fixture.singleUser("rotate_killed");
    try (PoolLoad load = new PoolLoad(isolatedDriver(), url(app.secret), POOL_SIZE)) {
      load.awaitNewLogins(LOGINS);
      String before = secretsManager().versionId(app.secret, "AWSCURRENT");

      assertThrows(
          ToolRunner.Killed.class,
          () ->
              ToolRunner.run(
                  ToolRunner.stoppingAfter(killedAfter), Map.of(), "rotate", url(app.secret)));
      String pending = secretsManager().versionId(app.secret, "AWSPENDING");
      load.awaitNewLogins(LOGINS);

      ToolRunner.Result second = ToolRunner.run("rotate", url(app.secret));
      load.awaitNewLogins(LOGINS);

      assertEquals(0, second.exitCode(), second.toString());
      if (killedAfter == RotationStep.FINISH_SECRET) {
        // The first run had finished: the second is a rotation of its own.
        assertNull(pending);
        assertTrue(second.out().contains("new version"), second.out());
      } else {
        assertTrue(
            second.out().contains("resuming the unfinished rotation to version " + pending),
            second.out());
        assertEquals(pending, secretsManager().versionId(app.secret, "AWSCURRENT"));
      }
      if (killedAfter == RotationStep.CREATE_SECRET) {
        assertTrue(
            second.out().contains("kept the AWSPENDING version stored earlier"), second.out());
      }
      if (killedAfter == RotationStep.SET_SECRET || killedAfter == RotationStep.TEST_SECRET) {
        assertTrue(
            second.out().contains("the database already accepts the new password"), second.out());
      }
      assertRotated(app, before);
      assertEquals(List.of(), load.failures(), "failed borrows");
    }
  }

  @Test
  void killedBetweenPromotionAndCleanupTheNextRunLeavesNoPendingLabel() throws Exception {
    Fixture app = Fixture.singleUser("rotate_cleanup");
    try (PoolLoad load = new PoolLoad(isolatedDriver(), url(app.secret), POOL_SIZE)) {
      String before = secretsManager().versionId(app.secret, "AWSCURRENT");
      assertThrows(
          ToolRunner.Killed.class,
          () ->
              ToolRunner.run(
                  ToolRunner.stoppingAfter(RotationStep.TEST_SECRET),
                  Map.of(),
                  "rotate",
                  url(app.secret)));
      // finishSecret's first call went through, its second did not.
      String pending = secretsManager().versionId(app.secret, "AWSPENDING");
      secretsManager().moveStage(app.secret, "AWSCURRENT", pending);
      load.awaitNewLogins(LOGINS);

      ToolRunner.Result second = ToolRunner.run("rotate", url(app.secret));
      load.awaitNewLogins(LOGINS);

      assertEquals(0, second.exitCode(), second.toString());
      assertNotEquals(pending, secretsManager().versionId(app.secret, "AWSCURRENT"));
      assertRotated(app, before);
      assertEquals(List.of(), load.failures(), "failed borrows");
    }
  }

  @Test
  void aFailedStepIsReportedWithAdviceAndTheNextRunCompletes() throws Exception {
    Fixture app = Fixture.singleUser("rotate_denied");
    try (PoolLoad load = new PoolLoad(isolatedDriver(), url(app.secret), POOL_SIZE)) {
      String before = secretsManager().versionId(app.secret, "AWSCURRENT");
      // A policy without UpdateSecretVersionStage: finishSecret fails after the database changed.
      secretsManager().denyOperations(app.secret, "UpdateSecretVersionStage");
      ToolRunner.Result first;
      try {
        first = ToolRunner.run("rotate", url(app.secret));
        load.awaitNewLogins(LOGINS);
      } finally {
        secretsManager().allowAccess(app.secret);
      }

      assertEquals(1, first.exitCode(), first.toString());
      assertTrue(first.out().contains("3/4 testSecret"), first.out());
      for (String text :
          List.of(
              "Rotation stopped at finishSecret:",
              "Secrets Manager UpdateSecretVersionStage on secret '"
                  + app.secret
                  + "' failed:"
                  + " AccessDeniedException",
              "-> Access denied. The AWS identity running this needs"
                  + " secretsmanager:GetSecretValue, DescribeSecret, PutSecretValue and",
              "Applications keep connecting meanwhile",
              "run the same command again: it resumes where this run stopped")) {
        assertTrue(first.err().replaceAll("\n +", " ").contains(text), text + "\n" + first);
      }

      ToolRunner.Result second = ToolRunner.run("rotate", url(app.secret));
      assertEquals(0, second.exitCode(), second.toString());
      assertTrue(second.out().contains("resuming the unfinished rotation"), second.out());
      load.awaitNewLogins(LOGINS);
      assertRotated(app, before);
      assertEquals(List.of(), load.failures(), "failed borrows");
    }
  }

  @Test
  void alternatingUsersTakeTurnsAndTheCloneIsCreatedOnFirstUse() throws Exception {
    Fixture app = Fixture.alternating("rotate_alt");
    String clone = app.role + "_clone";
    PazPazSecretsDriver driver = isolatedDriver();
    try (PoolLoad load = new PoolLoad(driver, url(app.secret), POOL_SIZE)) {
      load.awaitNewLogins(LOGINS);

      // To the clone, with the master secret named by the secret's masterarn.
      ToolRunner.Result first =
          ToolRunner.run("rotate", url(app.secret), "--strategy", "alternating");
      load.awaitNewLogins(LOGINS);
      assertEquals(0, first.exitCode(), first.toString());
      assertTrue(
          first
              .out()
              .contains(
                  "2/4 setSecret     set the new password of role "
                      + clone
                      + " with the master login"),
          first.out());
      JsonNode current = currentJson(app.secret);
      assertEquals(clone, current.get("username").asText());
      assertEquals(app.masterArn, current.get("masterarn").asText(), "other keys are kept");
      assertEquals("postgres", current.get("engine").asText());
      assertTrue(isMember(clone, app.role), "the clone has the role's privileges");
      assertLogsIn(current);
      assertTrue(logsIn(app.role, app.password), "the old user is untouched");

      // Killed after setSecret, back to the original user, master given on the command line.
      assertThrows(
          ToolRunner.Killed.class,
          () ->
              ToolRunner.run(
                  ToolRunner.stoppingAfter(RotationStep.SET_SECRET),
                  Map.of(),
                  "rotate",
                  url(app.secret),
                  "--strategy=alternating",
                  "--master-secret",
                  app.masterSecret));
      load.awaitNewLogins(LOGINS);
      ToolRunner.Result second =
          ToolRunner.run(
              "rotate",
              url(app.secret),
              "--strategy",
              "alternating",
              "--master-secret",
              app.masterSecret);
      load.awaitNewLogins(LOGINS);
      assertEquals(0, second.exitCode(), second.toString());
      JsonNode back = currentJson(app.secret);
      assertEquals(app.role, back.get("username").asText());
      assertLogsIn(back);
      assertFalse(logsIn(app.role, app.password), "the original user got a new password");
      assertLogsIn(current);
      // The pool, still on the first user's cached password, was rejected and moved on.
      load.awaitNewLogins(LOGINS);
      assertEquals(List.of(), load.failures(), "failed borrows");
    }
  }

  @Test
  void alternatingWithoutAMasterSecretStopsBeforeChangingAnything() {
    Fixture app = Fixture.singleUser("rotate_nomaster");
    ToolRunner.Result result =
        ToolRunner.run("rotate", url(app.secret), "--strategy", "alternating");

    assertEquals(1, result.exitCode(), result.toString());
    assertTrue(result.err().contains("Rotation stopped at createSecret:"), result.err());
    assertTrue(
        result.err().replaceAll("\n +", " ").contains("add the key masterarn"), result.err());
    assertNull(secretsManager().versionId(app.secret, "AWSPENDING"), "nothing stored");
  }

  @Test
  void aPasswordChangedBehindTheSecretsBackIsRepairedWithAMasterLogin() throws Exception {
    Fixture app = Fixture.alternating("rotate_drift");
    String before = secretsManager().versionId(app.secret, "AWSCURRENT");
    String handSet = password(app.role);
    postgres().alterPassword(app.role, handSet);
    // Without masterarn in the secret: a copy of it without that key.
    String plainSecret = unique("rotate-drift-plain");
    secretsManager().createSecret(plainSecret, secretJson(app.role, app.password));

    ToolRunner.Result refused = ToolRunner.run("rotate", url(plainSecret));
    assertEquals(1, refused.exitCode(), refused.toString());
    String err = refused.err().replaceAll("\n +", " ");
    assertTrue(err.contains("Rotation stopped at setSecret:"), err);
    assertTrue(err.contains("PostgreSQL accepts none of the passwords of user " + app.role), err);
    assertTrue(err.contains("-> PostgreSQL rejected a login the rotation needs"), err);

    ToolRunner.Result repaired =
        ToolRunner.run("rotate", url(plainSecret), "--master-secret", app.masterSecret);
    assertEquals(0, repaired.exitCode(), repaired.toString());
    assertLogsIn(currentJson(plainSecret));
    assertEquals(before, secretsManager().versionId(app.secret, "AWSCURRENT"), "other secret");
  }

  @Test
  void localEnvironmentHasNoSecretToRotate() {
    ToolRunner.Result result =
        ToolRunner.run(Map.of("ENVIRONMENT", "local"), "rotate", url("anything"));
    assertEquals(1, result.exitCode(), result.toString());
    assertTrue(result.err().contains("Rotation not started:"), result.err());
    assertTrue(result.err().contains("reads DATABASE_URL"), result.err());
  }

  @Test
  void aMissingSecretIsReportedWithWhereToLook() {
    ToolRunner.Result result = ToolRunner.run("rotate", url(unique("rotate-missing")));
    assertEquals(1, result.exitCode(), result.toString());
    assertTrue(result.err().contains("ResourceNotFoundException"), result.err());
    assertTrue(result.err().contains("-> Secret not found."), result.err());
  }

  /** After a rotation from {@code before}: a new AWSCURRENT that logs in, no AWSPENDING left. */
  private static void assertRotated(Fixture app, String before) throws Exception {
    String after = secretsManager().versionId(app.secret, "AWSCURRENT");
    assertNotEquals(before, after, "AWSCURRENT moved");
    String previous = secretsManager().versionId(app.secret, "AWSPREVIOUS");
    assertTrue(previous != null && !previous.equals(after), "AWSPREVIOUS: " + previous);
    assertNull(secretsManager().versionId(app.secret, "AWSPENDING"), "AWSPENDING left behind");
    JsonNode current = currentJson(app.secret);
    assertEquals(app.role, current.get("username").asText());
    assertEquals(64, current.get("password").asText().length());
    assertEquals("postgres", current.get("engine").asText(), "other keys are kept");
    assertLogsIn(current);
    assertFalse(logsIn(app.role, app.password), "the old password still works");
  }

  /** The AWSCURRENT JSON; its password is remembered for the leak checks. */
  private static JsonNode currentJson(String secret) throws Exception {
    JsonNode json = JSON.readTree(secretsManager().secretString(secret, "AWSCURRENT"));
    DriverTestSupport.rememberPassword(json.get("password").asText());
    return json;
  }

  private static void assertLogsIn(JsonNode secret) throws SQLException {
    assertTrue(
        logsIn(secret.get("username").asText(), secret.get("password").asText()),
        "cannot log in as " + secret.get("username").asText());
  }

  private static boolean isMember(String member, String role) throws SQLException {
    try (Connection admin = postgres().adminConnection();
        Statement statement = admin.createStatement()) {
      return statement
          .executeQuery("SELECT pg_has_role('" + member + "', '" + role + "', 'MEMBER')")
          .next();
    }
  }

  /** A role, its secret and, for alternating users, a master role and secret. */
  private record Fixture(
      String role, String password, String secret, String masterSecret, String masterArn) {

    static Fixture singleUser(String prefix) {
      String role = unique(prefix);
      String password = DriverTestSupport.password(role);
      createRole(role, password);
      String secret = unique(prefix.replace('_', '-'));
      secretsManager().createSecret(secret, secretJson(role, password));
      return new Fixture(role, password, secret, null, null);
    }

    /**
     * The master may create roles and has ADMIN OPTION on the app's role, as an RDS master user
     * does; its secret holds only username and password, as RDS-managed master secrets do.
     */
    static Fixture alternating(String prefix) {
      String role = unique(prefix);
      String password = DriverTestSupport.password(role);
      createRole(role, password);
      String master = role + "_master";
      String masterPassword = DriverTestSupport.password(master);
      createRole(master, masterPassword);
      try (Connection admin = postgres().adminConnection();
          Statement statement = admin.createStatement()) {
        statement.execute("ALTER ROLE \"" + master + "\" CREATEROLE");
        statement.execute("GRANT \"" + role + "\" TO \"" + master + "\" WITH ADMIN OPTION");
      } catch (SQLException e) {
        throw new IllegalStateException(e);
      }
      String masterSecret = unique(prefix.replace('_', '-') + "-master");
      String masterArn =
          secretsManager()
              .createSecret(
                  masterSecret,
                  "{\"username\":\"" + master + "\",\"password\":\"" + masterPassword + "\"}");
      String json = secretJson(role, password);
      String withMaster =
          json.substring(0, json.length() - 1) + ",\"masterarn\":\"" + masterArn + "\"}";
      String secret = unique(prefix.replace('_', '-'));
      secretsManager().createSecret(secret, withMaster);
      return new Fixture(role, password, secret, masterSecret, masterArn);
    }
  }
}
