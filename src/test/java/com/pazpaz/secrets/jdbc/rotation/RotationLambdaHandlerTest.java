package com.pazpaz.secrets.jdbc.rotation;

import static com.pazpaz.secrets.jdbc.DriverTestSupport.logsIn;
import static com.pazpaz.secrets.jdbc.DriverTestSupport.secretsManager;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.pazpaz.secrets.jdbc.DriverTestSupport;
import com.pazpaz.secrets.jdbc.NoPasswordsInLogs;
import com.pazpaz.secrets.jdbc.PoolLoad;
import com.pazpaz.secrets.jdbc.TestDeployment;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The rotation function's four steps as Secrets Manager invokes them (a version with AWSPENDING and
 * no value exists before createSecret; any step may be retried), with the checks of AWS's
 * templates, while a HikariCP pool keeps querying through the driver.
 */
@ExtendWith(NoPasswordsInLogs.class)
@Timeout(120)
class RotationLambdaHandlerTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> STEPS =
      List.of("createSecret", "setSecret", "testSecret", "finishSecret");

  /** The environment AWS's templates give their functions; the region comes from the ARN. */
  private static RotationLambdaHandler handler(String... extraEnvironment) {
    Map<String, String> environment =
        new HashMap<>(Map.of("SECRETS_MANAGER_ENDPOINT", secretsManager().endpoint().toString()));
    for (int i = 0; i + 1 < extraEnvironment.length; i += 2) {
      environment.put(extraEnvironment[i], extraEnvironment[i + 1]);
    }
    return new RotationLambdaHandler(System::getProperty, environment::get);
  }

  @Test
  void theFourStepsRotateTheSecretWithoutAFailedBorrowEvenWhenEachIsRetried() throws Exception {
    TestDeployment app = TestDeployment.create("lambda_single");
    String role = app.role();
    String secret = app.secretId();
    String arn = app.arn();
    String before = app.versionId("AWSCURRENT");
    RotationLambdaHandler handler = handler();

    try (PoolLoad load = new PoolLoad(app.driver(), app.url(), 4)) {
      load.awaitNewLogins(8);
      String token = secretsManager().startRotation(secret);
      String pendingJson = null;
      for (String step : STEPS) {
        handler.handle(arn, token, step);
        if (step.equals("createSecret")) {
          pendingJson = secretsManager().secretString(secret, "AWSPENDING");
          DriverTestSupport.rememberPassword(JSON.readTree(pendingJson).get("password").asText());
        }
        // Secrets Manager retries a step whose answer it did not get.
        handler.handle(arn, token, step);
        if (step.equals("createSecret")) {
          assertEquals(pendingJson, secretsManager().secretString(secret, "AWSPENDING"));
        }
        load.awaitNewLogins(8);
      }

      assertEquals(token, secretsManager().versionId(secret, "AWSCURRENT"));
      assertEquals(before, secretsManager().versionId(secret, "AWSPREVIOUS"));
      assertNull(secretsManager().versionId(secret, "AWSPENDING"));
      JsonNode current = JSON.readTree(secretsManager().secretString(secret, "AWSCURRENT"));
      assertEquals(role, current.get("username").asText());
      assertEquals(64, current.get("password").asText().length());
      assertTrue(logsIn(role, current.get("password").asText()));
      assertFalse(logsIn(role, app.password()));
      assertEquals(List.of(), load.failures(), "failed borrows");
    }
  }

  @Test
  void handleRequestReadsTheEventKeysOfSecretsManager() throws Exception {
    TestDeployment app = TestDeployment.create("lambda_event");
    String role = app.role();
    String secret = app.secretId();
    String arn = app.arn();
    String token = secretsManager().startRotation(secret);
    RotationLambdaHandler handler = handler();

    for (String step : STEPS) {
      handler.handleRequest(
          Map.of("SecretId", arn, "ClientRequestToken", token, "Step", step), null);
    }
    assertEquals(token, secretsManager().versionId(secret, "AWSCURRENT"));
    JsonNode current = JSON.readTree(secretsManager().secretString(secret, "AWSCURRENT"));
    DriverTestSupport.rememberPassword(current.get("password").asText());
    assertTrue(logsIn(role, current.get("password").asText()));
  }

  @Test
  void alternatingUsersComeFromTheEnvironmentAndTheMasterFromMasterarn() throws Exception {
    TestDeployment app = TestDeployment.builder("lambda_alt").alternatingUsers().create();
    String role = app.role();
    String secret = app.secretId();
    String arn = app.arn();
    RotationLambdaHandler handler = handler("ROTATION_STRATEGY", "alternating");

    String token = secretsManager().startRotation(secret);
    for (String step : STEPS) {
      handler.handle(arn, token, step);
    }
    JsonNode current = JSON.readTree(secretsManager().secretString(secret, "AWSCURRENT"));
    DriverTestSupport.rememberPassword(current.get("password").asText());
    assertEquals(role + "_clone", current.get("username").asText());
    assertEquals(app.masterArn(), current.get("masterarn").asText());
    assertTrue(logsIn(role + "_clone", current.get("password").asText()));
    assertTrue(logsIn(role, app.password()), "the previous user is untouched");
  }

  @Test
  void theTemplatesChecksRefuseTokensThatAreNotPendingVersions() {
    TestDeployment app = TestDeployment.create("lambda_checks");
    String secret = app.secretId();
    String arn = app.arn();
    String current = secretsManager().versionId(secret, "AWSCURRENT");
    RotationLambdaHandler handler = handler();

    IllegalArgumentException unknown =
        assertThrows(
            IllegalArgumentException.class,
            () -> handler.handle(arn, "no-such-version", "createSecret"));
    assertTrue(unknown.getMessage().contains("has no stage for rotation"), unknown.getMessage());

    String notPending = app.storeVersion(app.password(), "OTHER");
    IllegalArgumentException other =
        assertThrows(
            IllegalArgumentException.class, () -> handler.handle(arn, notPending, "setSecret"));
    assertTrue(other.getMessage().contains("is not AWSPENDING"), other.getMessage());

    assertThrows(
        IllegalArgumentException.class, () -> handler.handle(arn, current, "rotateSecret"));
    assertThrows(IllegalArgumentException.class, () -> handler.handle(null, current, "setSecret"));
    assertThrows(IllegalArgumentException.class, () -> handler.handle(arn, " ", "setSecret"));

    // A version that already is AWSCURRENT needs nothing, whatever the step.
    int calls = secretsManager().calls("GetSecretValue", secret);
    for (String step : STEPS) {
      handler.handle(arn, current, step);
    }
    assertEquals(calls, secretsManager().calls("GetSecretValue", secret));
    assertEquals(current, secretsManager().versionId(secret, "AWSCURRENT"));
  }

  @Test
  void aFailedStepThrowsWithWhatToDoAndARetryCompletes() throws Exception {
    TestDeployment app = TestDeployment.create("lambda_retry");
    String secret = app.secretId();
    String arn = app.arn();
    RotationLambdaHandler handler = handler();
    String token = secretsManager().startRotation(secret);

    // testSecret before setSecret: the database does not have the new password yet.
    IllegalStateException early =
        assertThrows(IllegalStateException.class, () -> handler.handle(arn, token, "testSecret"));
    assertTrue(early.getMessage().contains("createSecret must run first"), early.getMessage());
    handler.handle(arn, token, "createSecret");
    String newPassword =
        JSON.readTree(secretsManager().secretString(secret, "AWSPENDING")).get("password").asText();
    DriverTestSupport.rememberPassword(newPassword);
    IllegalStateException notSet =
        assertThrows(IllegalStateException.class, () -> handler.handle(arn, token, "testSecret"));
    assertTrue(notSet.getMessage().startsWith("testSecret failed for secret '" + arn + "'"));
    assertTrue(notSet.getMessage().contains("setSecret has not taken effect"));
    assertFalse(DriverTestSupport.mentions(notSet, newPassword), "password in the exception");
    assertFalse(DriverTestSupport.mentions(notSet, app.password()), "password in the exception");

    for (String step : List.of("setSecret", "testSecret", "finishSecret")) {
      handler.handle(arn, token, step);
    }
    assertEquals(token, secretsManager().versionId(secret, "AWSCURRENT"));
    assertTrue(logsIn(app.role(), newPassword));
  }
}
