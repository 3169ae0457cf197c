package com.pazpaz.secrets.jdbc.cli;

import static com.pazpaz.secrets.jdbc.DriverTestSupport.createRole;
import static com.pazpaz.secrets.jdbc.DriverTestSupport.password;
import static com.pazpaz.secrets.jdbc.DriverTestSupport.postgres;
import static com.pazpaz.secrets.jdbc.DriverTestSupport.secretsManager;
import static com.pazpaz.secrets.jdbc.DriverTestSupport.unique;
import static com.pazpaz.secrets.jdbc.DriverTestSupport.url;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pazpaz.secrets.jdbc.NoPasswordsInLogs;
import com.pazpaz.secrets.jdbc.TestDeployment;
import com.pazpaz.secrets.jdbc.testing.SelfSignedCertificate;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code verify} reports every field of a working setup, warns about what needs attention, and
 * gives the matching advice for each kind of failure, never showing a password.
 */
@ExtendWith(NoPasswordsInLogs.class)
class VerifyCommandTest {

  /** Checks the report with each check's wrapped lines joined, advice lines kept apart. */
  private static void assertContains(ToolRunner.Result result, String... fragments) {
    String unwrapped = result.all().replaceAll("\n {21,}(?!-> )", " ");
    for (String fragment : fragments) {
      assertTrue(unwrapped.contains(fragment), "'" + fragment + "' not in\n" + result);
    }
  }

  @Test
  void aWorkingSetupReportsEveryFieldAndPasses() {
    TestDeployment app = TestDeployment.create("verify_ok");
    String secret = app.secretId();
    String role = app.role();
    ToolRunner.Result result = ToolRunner.run("verify", app.url());

    assertEquals(0, result.exitCode(), result.toString());
    String version = secretsManager().versionId(secret, "AWSCURRENT");
    assertContains(
        result,
        "Checking secret '" + secret + "' (environment production)",
        "ok    credentials  Secrets Manager secret '" + secret + "', version " + version,
        "stage AWSCURRENT, region us-east-1, endpoint " + secretsManager().endpoint(),
        "ok    database     user " + role + " on localhost:" + postgres().port() + "/clinic",
        "ok    login        logged in as " + role,
        "ok    TLS          TLSv1.3",
        "server certificate and host name verified (sslmode=verify-full, CA file "
            + postgres().caCertificate(),
        "ok    server       PostgreSQL 17.",
        "ok    password     ",
        " characters (minimum 32)",
        "ok    rotation     never rotated; last changed "
            + LocalDate.now(ZoneOffset.UTC)
            + ", 0 days ago; no automatic rotation",
        "Result: OK");
    assertEquals("", result.err());
  }

  @Test
  void theDefaultUrlUsesTheSecretNamedByTheEnvironment() {
    String secret = TestDeployment.create("verify_default").secretId();
    ToolRunner.Result result =
        ToolRunner.run(
            Map.of(
                "DB_SECRETS_MANAGER_KEY_NAME", secret,
                "AWS_REGION", secretsManager().region(),
                "AWS_ENDPOINT_URL_SECRETS_MANAGER", secretsManager().endpoint().toString()),
            "verify");
    assertEquals(0, result.exitCode(), result.toString());
    assertContains(result, "Secrets Manager secret '" + secret + "'", "Result: OK");
  }

  @Test
  void aRotationOlderThan90DaysIsAWarning() {
    String secret = TestDeployment.create("verify_old").secretId();
    Instant longAgo = Instant.now().minus(Duration.ofDays(120));
    secretsManager().setLastRotatedDate(secret, longAgo);
    ToolRunner.Result result = ToolRunner.run("verify", url(secret));

    assertEquals(3, result.exitCode(), result.toString());
    assertContains(
        result,
        "WARN  rotation     last rotated " + LocalDate.ofInstant(longAgo, ZoneOffset.UTC),
        "120 days ago (more than 90); no automatic rotation",
        "-> Rotate now: rotate with the same URL",
        "AutomaticallyAfterDays: 90",
        "Result: the driver can connect, with 1 warning. (exit 3)");

    secretsManager().setLastRotatedDate(secret, Instant.now().minus(Duration.ofDays(89)));
    ToolRunner.Result recent = ToolRunner.run("verify", url(secret));
    assertEquals(0, recent.exitCode(), recent.toString());
    assertContains(recent, "ok    rotation     last rotated ", "89 days ago");
  }

  @Test
  void aShortPasswordIsAWarning() {
    String shortPassword = "Short-" + Long.toHexString(System.nanoTime());
    TestDeployment app = TestDeployment.builder("verify_short").password(shortPassword).create();
    ToolRunner.Result result = ToolRunner.run("verify", app.url());

    assertEquals(3, result.exitCode(), result.toString());
    assertContains(
        result,
        "WARN  password     "
            + shortPassword.length()
            + " characters, under the 32-character minimum",
        "-> Rotate it");
  }

  @Test
  void aSecretThatDoesNotExistIsReportedWithWhereToLook() {
    ToolRunner.Result result = ToolRunner.run("verify", url(unique("no-such-secret")));
    assertEquals(1, result.exitCode(), result.toString());
    assertContains(
        result,
        "FAIL  credentials  cannot read secret '",
        "(stage AWSCURRENT, region us-east-1): ResourceNotFoundException: Secrets Manager can't"
            + " find",
        "-> Secret not found. Check its name or ARN",
        "DB_SECRETS_MANAGER_KEY_NAME",
        "Result: FAILED, 1 check failed.");
  }

  @Test
  void accessDeniedNamesThePermissionNeeded() {
    String secret = TestDeployment.create("verify_denied").secretId();
    secretsManager().denyAccess(secret);
    try {
      ToolRunner.Result result = ToolRunner.run("verify", url(secret));
      assertEquals(1, result.exitCode(), result.toString());
      assertContains(
          result,
          "FAIL  credentials",
          "AccessDeniedException",
          "-> Access denied. The AWS identity running this needs secretsmanager:GetSecretValue",
          "kms:Decrypt");
    } finally {
      secretsManager().allowAccess(secret);
    }
  }

  @Test
  void missingAwsCredentialsAreReportedWithWhereToGetThem() {
    String secret = TestDeployment.create("verify_nocreds").secretId();
    ToolRunner.Result result =
        ToolRunner.run("verify", url(secret, "awsProfile=" + unique("no-such-profile")));
    assertEquals(1, result.exitCode(), result.toString());
    assertContains(
        result,
        "FAIL  credentials",
        "NoCredentials",
        "-> No AWS credentials were found.",
        "AWS_PROFILE");
  }

  @Test
  void aRejectedLoginSuggestsCompletingARotation() {
    TestDeployment app =
        TestDeployment.builder("verify_rejected").secretWithWrongPassword().create();
    String secret = app.secretId();
    ToolRunner.Result result = ToolRunner.run("verify", url(secret));

    assertEquals(1, result.exitCode(), result.toString());
    assertContains(
        result,
        "ok    credentials",
        "FAIL  login        PostgreSQL rejected the credentials of secret '" + secret + "'",
        "-> PostgreSQL rejected the secret's user and password",
        "run rotate with the same URL",
        "rotate --master-secret ID");
  }

  @Test
  void aCertificateFromAnotherAuthorityIsATlsFailure() throws Exception {
    Path otherCa =
        SelfSignedCertificate.generateForLocalhost(
                Files.createTempDirectory(Path.of("target"), "ca"))
            .writeCertificate(Path.of("target", unique("other-ca") + ".crt"));
    TestDeployment app =
        TestDeployment.builder("verify_tls").secret(s -> s.withCaFile(otherCa)).create();
    ToolRunner.Result result = ToolRunner.run("verify", app.url());

    assertEquals(1, result.exitCode(), result.toString());
    assertContains(result, "FAIL  TLS", "-> TLS failed: the server's certificate is not signed");
  }

  @Test
  void aMissingCaFileIsATlsFailureBeforeAnyLogin() {
    TestDeployment app =
        TestDeployment.builder("verify_noca")
            .secret(s -> s.withCaFile("/nonexistent/ca.pem"))
            .create();
    ToolRunner.Result result = ToolRunner.run("verify", app.url());

    assertEquals(1, result.exitCode(), result.toString());
    assertContains(result, "FAIL  TLS          The CA file /nonexistent/ca.pem", "-> TLS failed");
    assertFalse(result.all().contains("login"), "no login was tried");
  }

  @Test
  void anUnfinishedRotationIsAWarningWithTheWayToCompleteIt() {
    TestDeployment app = TestDeployment.create("verify_window");
    String role = app.role();
    String newPassword = app.newPassword();
    String pending = app.storeVersion(newPassword, "AWSPENDING");
    app.alterPassword(newPassword);
    ToolRunner.Result result = ToolRunner.run("verify", app.url());

    assertEquals(3, result.exitCode(), result.toString());
    assertContains(
        result,
        "WARN  login        logged in as " + role + ", but only with the AWSPENDING version",
        "WARN  rotation     a rotation is unfinished: version " + pending + " is AWSPENDING",
        "Run rotate with the same URL",
        "2 warnings");
  }

  @Test
  void localEnvironmentReportsDatabaseUrl() {
    String role = unique("verify_local");
    String password = password(role);
    createRole(role, password);
    String databaseUrl =
        "postgresql://"
            + role
            + ":"
            + password
            + "@localhost:"
            + postgres().port()
            + "/clinic?sslmode=verify-full&sslrootcert="
            + postgres().caCertificate();
    ToolRunner.Result result =
        ToolRunner.run(Map.of("ENVIRONMENT", "local", "DATABASE_URL", databaseUrl), "verify");

    assertEquals(0, result.exitCode(), result.toString());
    assertContains(
        result,
        "Checking DATABASE_URL (environment local)",
        "ok    credentials  DATABASE_URL (environment=local)",
        "ok    database     user " + role,
        "ok    TLS          TLSv1.3",
        "ok    login        logged in as " + role);
    // A check line, not any text: paths (the CA file's) may contain the word.
    assertFalse(
        result.all().lines().anyMatch(line -> line.matches("\\S+\\s+rotation\\s.*")),
        "no secret, no rotation date");
  }

  @Test
  void aFallbackToDatabaseUrlIsReportedAsAFailureOfTheSecret() {
    String role = unique("verify_fallback");
    String password = password(role);
    createRole(role, password);
    String databaseUrl =
        "postgresql://" + role + ":" + password + "@localhost:" + postgres().port() + "/clinic";
    ToolRunner.Result result =
        ToolRunner.run(
            Map.of("DATABASE_URL", databaseUrl),
            "verify",
            url(unique("missing-secret"), "sslrootcert=" + postgres().caCertificate()));

    assertEquals(1, result.exitCode(), result.toString());
    assertContains(
        result,
        "FAIL  credentials  cannot read secret",
        "--    fallback     the driver falls back to DATABASE_URL",
        "ok    credentials  DATABASE_URL (fallback from Secrets Manager)",
        "ok    login        logged in as " + role);
  }

  @Test
  void invalidSettingsAreAFailedCheck() {
    ToolRunner.Result result = ToolRunner.run("verify", url("x", "cacheTtl=soon"));
    assertEquals(1, result.exitCode(), result.toString());
    assertContains(result, "FAIL  settings     Invalid value 'soon' for cacheTtl");
  }
}
