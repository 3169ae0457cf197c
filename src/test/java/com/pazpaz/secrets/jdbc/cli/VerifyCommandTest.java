package com.pazpaz.secrets.jdbc.cli;

import static com.pazpaz.secrets.jdbc.DriverTestSupport.createRole;
import static com.pazpaz.secrets.jdbc.DriverTestSupport.password;
import static com.pazpaz.secrets.jdbc.DriverTestSupport.postgres;
import static com.pazpaz.secrets.jdbc.DriverTestSupport.secretJson;
import static com.pazpaz.secrets.jdbc.DriverTestSupport.secretsManager;
import static com.pazpaz.secrets.jdbc.DriverTestSupport.unique;
import static com.pazpaz.secrets.jdbc.DriverTestSupport.url;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pazpaz.secrets.jdbc.DriverTestSupport;
import com.pazpaz.secrets.jdbc.NoPasswordsInLogs;
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
 * Issue 6, point 1: verify reports every field of a working setup, warns about what needs
 * attention, and gives the matching advice for each kind of failure, never showing a password.
 */
@ExtendWith(NoPasswordsInLogs.class)
class VerifyCommandTest {

  /** A role and a secret holding its real password; returns the secret's name. */
  private static String workingSecret(String prefix) {
    String role = unique(prefix);
    String password = password(role);
    createRole(role, password);
    String secret = unique(prefix.replace('_', '-'));
    secretsManager().createSecret(secret, secretJson(role, password));
    return secret;
  }

  private static String roleOf(String secret) {
    String json = secretsManager().secretString(secret, "AWSCURRENT");
    int start = json.indexOf("\"username\":\"") + "\"username\":\"".length();
    return json.substring(start, json.indexOf('"', start));
  }

  /** Checks the report with each check's wrapped lines joined, advice lines kept apart. */
  private static void assertContains(ToolRunner.Result result, String... fragments) {
    String unwrapped = result.all().replaceAll("\n {21,}(?!-> )", " ");
    for (String fragment : fragments) {
      assertTrue(unwrapped.contains(fragment), "'" + fragment + "' not in\n" + result);
    }
  }

  @Test
  void aWorkingSetupReportsEveryFieldAndPasses() {
    String secret = workingSecret("verify_ok");
    String role = roleOf(secret);
    ToolRunner.Result result = ToolRunner.run("verify", url(secret));

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
    String secret = workingSecret("verify_default");
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
    String secret = workingSecret("verify_old");
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
    String role = unique("verify_short");
    String shortPassword = "Short-" + Long.toHexString(System.nanoTime());
    DriverTestSupport.rememberPassword(shortPassword);
    createRole(role, shortPassword);
    String secret = unique("verify-short");
    secretsManager().createSecret(secret, secretJson(role, shortPassword));
    ToolRunner.Result result = ToolRunner.run("verify", url(secret));

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
    String secret = workingSecret("verify_denied");
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
    String secret = workingSecret("verify_nocreds");
    ToolRunner.Result result =
        ToolRunner.run("verify", url(secret, "awsProfile=" + unique("no-such-profile")));
    assertEquals(1, result.exitCode(), result.toString());
    assertContains(
        result, "FAIL  credentials", "NoCredentials", "-> No AWS credentials.", "AWS_PROFILE");
  }

  @Test
  void aRejectedLoginSuggestsCompletingARotation() {
    String role = unique("verify_rejected");
    createRole(role, password(role));
    String secret = unique("verify-rejected");
    // Another password than the role's: each call of password() makes a new one.
    secretsManager().createSecret(secret, secretJson(role, password(role)));
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
    String role = unique("verify_tls");
    String password = password(role);
    createRole(role, password);
    Path otherCa =
        SelfSignedCertificate.generateForLocalhost(
                Files.createTempDirectory(Path.of("target"), "ca"))
            .writeCertificate(Path.of("target", unique("other-ca") + ".crt"));
    String secret = unique("verify-tls");
    secretsManager()
        .createSecret(
            secret,
            secretJson(role, password)
                .replace(
                    postgres().caCertificate().toString(), otherCa.toAbsolutePath().toString()));
    ToolRunner.Result result = ToolRunner.run("verify", url(secret));

    assertEquals(1, result.exitCode(), result.toString());
    assertContains(result, "FAIL  TLS", "-> TLS failed: the server's certificate is not signed");
  }

  @Test
  void aMissingCaFileIsATlsFailureBeforeAnyLogin() {
    String role = unique("verify_noca");
    String password = password(role);
    createRole(role, password);
    String secret = unique("verify-noca");
    secretsManager()
        .createSecret(
            secret,
            secretJson(role, password)
                .replace(postgres().caCertificate().toString(), "/nonexistent/ca.pem"));
    ToolRunner.Result result = ToolRunner.run("verify", url(secret));

    assertEquals(1, result.exitCode(), result.toString());
    assertContains(result, "FAIL  TLS          The CA file /nonexistent/ca.pem", "-> TLS failed");
    assertFalse(result.all().contains("login"), "no login was tried");
  }

  @Test
  void anUnfinishedRotationIsAWarningWithTheWayToCompleteIt() {
    String role = unique("verify_window");
    String oldPassword = password(role);
    String newPassword = password(role);
    createRole(role, oldPassword);
    String secret = unique("verify-window");
    secretsManager().createSecret(secret, secretJson(role, oldPassword));
    String pending =
        secretsManager().putSecretValue(secret, secretJson(role, newPassword), "AWSPENDING");
    postgres().alterPassword(role, newPassword);
    ToolRunner.Result result = ToolRunner.run("verify", url(secret));

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
