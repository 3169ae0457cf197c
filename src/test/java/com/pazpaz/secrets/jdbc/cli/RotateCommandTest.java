package com.pazpaz.secrets.jdbc.cli;

import static com.pazpaz.secrets.jdbc.DriverTestSupport.logsIn;
import static com.pazpaz.secrets.jdbc.DriverTestSupport.postgres;
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
import com.pazpaz.secrets.jdbc.PoolLoad;
import com.pazpaz.secrets.jdbc.TestDeployment;
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
 * {@code rotate}, single-user and alternating-users, against the embedded PostgreSQL and the local
 * Secrets Manager while a HikariCP pool keeps querying through the driver. A rotation killed after
 * any step completes on the next run, and not one borrow fails.
 */
@ExtendWith(NoPasswordsInLogs.class)
@Timeout(180)
class RotateCommandTest {

  private static final int POOL_SIZE = 4;
  private static final int LOGINS = 8;
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void singleUserRotationChangesThePasswordWithoutAFailedBorrow() throws Exception {
    TestDeployment app = TestDeployment.create("rotate_single");
    try (PoolLoad load = new PoolLoad(app.driver(), app.url(), POOL_SIZE)) {
      load.awaitNewLogins(LOGINS);
      String before = secretsManager().versionId(app.secretId(), "AWSCURRENT");

      ToolRunner.Result result = ToolRunner.run("rotate", app.url());
      load.awaitNewLogins(LOGINS);

      assertEquals(0, result.exitCode(), result.toString());
      String after = secretsManager().versionId(app.secretId(), "AWSCURRENT");
      assertNotEquals(before, after);
      assertTrue(result.out().contains("new version " + after), result.out());
      for (String line :
          List.of(
              "Rotating secret '" + app.secretId() + "' (region us-east-1, strategy single)",
              "1/4 createSecret  stored a new 64-character password for user " + app.role(),
              "2/4 setSecret     changed the password of role " + app.role() + " (SCRAM-SHA-256",
              "3/4 testSecret    logged in as " + app.role() + " with the new password",
              "4/4 finishSecret  AWSCURRENT is the new version; the old one is AWSPREVIOUS",
              "Rotated: AWSCURRENT is version " + after + " (user " + app.role() + ")")) {
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
    TestDeployment app = TestDeployment.create("rotate_killed");
    try (PoolLoad load = new PoolLoad(app.driver(), app.url(), POOL_SIZE)) {
      load.awaitNewLogins(LOGINS);
      String before = secretsManager().versionId(app.secretId(), "AWSCURRENT");

      assertThrows(
          ToolRunner.Killed.class,
          () ->
              ToolRunner.run(ToolRunner.stoppingAfter(killedAfter), Map.of(), "rotate", app.url()));
      String pending = secretsManager().versionId(app.secretId(), "AWSPENDING");
      load.awaitNewLogins(LOGINS);

      ToolRunner.Result second = ToolRunner.run("rotate", app.url());
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
        assertEquals(pending, secretsManager().versionId(app.secretId(), "AWSCURRENT"));
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
    TestDeployment app = TestDeployment.create("rotate_cleanup");
    try (PoolLoad load = new PoolLoad(app.driver(), app.url(), POOL_SIZE)) {
      String before = secretsManager().versionId(app.secretId(), "AWSCURRENT");
      assertThrows(
          ToolRunner.Killed.class,
          () ->
              ToolRunner.run(
                  ToolRunner.stoppingAfter(RotationStep.TEST_SECRET),
                  Map.of(),
                  "rotate",
                  app.url()));
      // finishSecret's first call went through, its second did not.
      String pending = secretsManager().versionId(app.secretId(), "AWSPENDING");
      secretsManager().moveStage(app.secretId(), "AWSCURRENT", pending);
      load.awaitNewLogins(LOGINS);

      ToolRunner.Result second = ToolRunner.run("rotate", app.url());
      load.awaitNewLogins(LOGINS);

      assertEquals(0, second.exitCode(), second.toString());
      assertNotEquals(pending, secretsManager().versionId(app.secretId(), "AWSCURRENT"));
      assertRotated(app, before);
      assertEquals(List.of(), load.failures(), "failed borrows");
    }
  }

  @Test
  void aFailedStepIsReportedWithAdviceAndTheNextRunCompletes() throws Exception {
    TestDeployment app = TestDeployment.create("rotate_denied");
    try (PoolLoad load = new PoolLoad(app.driver(), app.url(), POOL_SIZE)) {
      String before = secretsManager().versionId(app.secretId(), "AWSCURRENT");
      // A policy without UpdateSecretVersionStage: finishSecret fails after the database changed.
      secretsManager().denyOperations(app.secretId(), "UpdateSecretVersionStage");
      ToolRunner.Result first;
      try {
        first = ToolRunner.run("rotate", app.url());
        load.awaitNewLogins(LOGINS);
      } finally {
        secretsManager().allowAccess(app.secretId());
      }

      assertEquals(1, first.exitCode(), first.toString());
      assertTrue(first.out().contains("3/4 testSecret"), first.out());
      for (String text :
          List.of(
              "Rotation stopped at finishSecret:",
              "Secrets Manager UpdateSecretVersionStage on secret '"
                  + app.secretId()
                  + "' failed:"
                  + " AccessDeniedException",
              "-> Access denied. The AWS identity running this needs"
                  + " secretsmanager:GetSecretValue, DescribeSecret, PutSecretValue and",
              "Applications keep connecting meanwhile",
              "run the same command again: it resumes where this run stopped")) {
        assertTrue(first.err().replaceAll("\n +", " ").contains(text), text + "\n" + first);
      }

      ToolRunner.Result second = ToolRunner.run("rotate", app.url());
      assertEquals(0, second.exitCode(), second.toString());
      assertTrue(second.out().contains("resuming the unfinished rotation"), second.out());
      load.awaitNewLogins(LOGINS);
      assertRotated(app, before);
      assertEquals(List.of(), load.failures(), "failed borrows");
    }
  }

  @Test
  void alternatingUsersTakeTurnsAndTheCloneIsCreatedOnFirstUse() throws Exception {
    TestDeployment app = TestDeployment.builder("rotate_alt").alternatingUsers().create();
    String clone = app.role() + "_clone";
    try (PoolLoad load = new PoolLoad(app.driver(), app.url(), POOL_SIZE)) {
      load.awaitNewLogins(LOGINS);

      // To the clone, with the master secret named by the secret's masterarn.
      ToolRunner.Result first = ToolRunner.run("rotate", app.url(), "--strategy", "alternating");
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
      JsonNode current = currentJson(app.secretId());
      assertEquals(clone, current.get("username").asText());
      assertEquals(app.masterArn(), current.get("masterarn").asText(), "other keys are kept");
      assertEquals("postgres", current.get("engine").asText());
      assertTrue(isMember(clone, app.role()), "the clone has the role's privileges");
      assertLogsIn(current);
      assertTrue(logsIn(app.role(), app.password()), "the old user is untouched");

      // Killed after setSecret, back to the original user, master given on the command line.
      assertThrows(
          ToolRunner.Killed.class,
          () ->
              ToolRunner.run(
                  ToolRunner.stoppingAfter(RotationStep.SET_SECRET),
                  Map.of(),
                  "rotate",
                  app.url(),
                  "--strategy=alternating",
                  "--master-secret",
                  app.masterSecretId()));
      load.awaitNewLogins(LOGINS);
      ToolRunner.Result second =
          ToolRunner.run(
              "rotate",
              app.url(),
              "--strategy",
              "alternating",
              "--master-secret",
              app.masterSecretId());
      load.awaitNewLogins(LOGINS);
      assertEquals(0, second.exitCode(), second.toString());
      JsonNode back = currentJson(app.secretId());
      assertEquals(app.role(), back.get("username").asText());
      assertLogsIn(back);
      assertFalse(logsIn(app.role(), app.password()), "the original user got a new password");
      assertLogsIn(current);
      // The pool, still on the first user's cached password, was rejected and moved on.
      load.awaitNewLogins(LOGINS);
      assertEquals(List.of(), load.failures(), "failed borrows");
    }
  }

  @Test
  void alternatingWithoutAMasterSecretStopsBeforeChangingAnything() {
    TestDeployment app = TestDeployment.create("rotate_nomaster");
    ToolRunner.Result result = ToolRunner.run("rotate", app.url(), "--strategy", "alternating");

    assertEquals(1, result.exitCode(), result.toString());
    assertTrue(result.err().contains("Rotation stopped at createSecret:"), result.err());
    assertTrue(
        result.err().replaceAll("\n +", " ").contains("add the key masterarn"), result.err());
    assertNull(secretsManager().versionId(app.secretId(), "AWSPENDING"), "nothing stored");
  }

  @Test
  void aPasswordChangedBehindTheSecretsBackIsRepairedWithAMasterLogin() throws Exception {
    TestDeployment app = TestDeployment.builder("rotate_drift").alternatingUsers().create();
    String before = secretsManager().versionId(app.secretId(), "AWSCURRENT");
    String handSet = app.newPassword();
    app.alterPassword(handSet);
    // Without masterarn in the secret: a copy of it without that key.
    String plainSecret = unique("rotate-drift-plain");
    secretsManager().createSecret(plainSecret, app.storedSecret().without("masterarn").json());

    ToolRunner.Result refused = ToolRunner.run("rotate", url(plainSecret));
    assertEquals(1, refused.exitCode(), refused.toString());
    String err = refused.err().replaceAll("\n +", " ");
    assertTrue(err.contains("Rotation stopped at setSecret:"), err);
    assertTrue(err.contains("PostgreSQL accepts none of the passwords of user " + app.role()), err);
    assertTrue(err.contains("-> PostgreSQL rejected a login the rotation needs"), err);

    ToolRunner.Result repaired =
        ToolRunner.run("rotate", url(plainSecret), "--master-secret", app.masterSecretId());
    assertEquals(0, repaired.exitCode(), repaired.toString());
    assertLogsIn(currentJson(plainSecret));
    assertEquals(before, secretsManager().versionId(app.secretId(), "AWSCURRENT"), "other secret");
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
  private static void assertRotated(TestDeployment app, String before) throws Exception {
    String after = secretsManager().versionId(app.secretId(), "AWSCURRENT");
    assertNotEquals(before, after, "AWSCURRENT moved");
    String previous = secretsManager().versionId(app.secretId(), "AWSPREVIOUS");
    assertTrue(previous != null && !previous.equals(after), "AWSPREVIOUS: " + previous);
    assertNull(secretsManager().versionId(app.secretId(), "AWSPENDING"), "AWSPENDING left behind");
    JsonNode current = currentJson(app.secretId());
    assertEquals(app.role(), current.get("username").asText());
    assertEquals(64, current.get("password").asText().length());
    assertEquals("postgres", current.get("engine").asText(), "other keys are kept");
    assertLogsIn(current);
    assertFalse(logsIn(app.role(), app.password()), "the old password still works");
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
}
