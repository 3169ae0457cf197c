package com.pazpaz.secrets.jdbc;

import static com.pazpaz.secrets.jdbc.DriverTestSupport.isolatedDriver;
import static com.pazpaz.secrets.jdbc.DriverTestSupport.secretsManager;
import static com.pazpaz.secrets.jdbc.DriverTestSupport.unique;
import static com.pazpaz.secrets.jdbc.DriverTestSupport.url;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pazpaz.secrets.jdbc.testing.LogCapture;
import com.pazpaz.secrets.jdbc.testing.TestSecret;
import java.sql.SQLException;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Every bad input gets an SQLException with a SQLState and a message that says what to fix, the
 * cause attached, and never the password, in the exception or in the logs.
 */
class ErrorMessagesTest {

  private static final String PASSWORD = "Secret-Value-That-Must-Not-Leak-8471";
  private static LogCapture logs;

  @BeforeAll
  static void captureLogs() {
    logs = LogCapture.finest();
  }

  @AfterAll
  static void noPasswordWasLogged() {
    logs.close();
    assertTrue(logs.linesContaining(PASSWORD).isEmpty(), "password logged");
  }

  private static SQLException connectFails(String url) {
    return connectFails(isolatedDriver(), url);
  }

  private static SQLException connectFails(PazPazSecretsDriver driver, String url) {
    SQLException e = assertThrows(SQLException.class, () -> driver.connect(url, new Properties()));
    assertNotNull(e.getSQLState(), "no SQLState: " + e);
    assertFalse(DriverTestSupport.mentions(e, PASSWORD), "password in " + e);
    return e;
  }

  /** A secret holding this text, which need not be JSON; returns its name. */
  private static String secretWith(String text) {
    String name = unique("bad-secret");
    secretsManager().createSecret(name, text);
    return name;
  }

  private static String secretWith(TestSecret secret) {
    return secretWith(secret.json());
  }

  private static void assertMentions(SQLException e, String... fragments) {
    for (String fragment : fragments) {
      assertTrue(e.getMessage().contains(fragment), "'" + fragment + "' not in: " + e.getMessage());
    }
  }

  @Test
  void malformedUrl() {
    SQLException e = connectFails("jdbc:pazpaz-secrets://db.example:notaport/app");
    assertEquals("08001", e.getSQLState());
    assertMentions(e, "Malformed URL", "port");
  }

  @Test
  void unknownEnvironment() {
    SQLException e = connectFails(isolatedDriver(Map.of("ENVIRONMENT", "qa")), url("x"));
    assertEquals("08001", e.getSQLState());
    assertMentions(e, "'qa'", "ENVIRONMENT", "production");
  }

  @Test
  void secretNotFound() {
    SQLException e = connectFails(url("no/such/secret"));
    assertEquals("08001", e.getSQLState());
    assertMentions(
        e, "'no/such/secret'", "ResourceNotFoundException", "DB_SECRETS_MANAGER_KEY_NAME");
    assertTrue(e.getCause() instanceof SdkException, "cause: " + e.getCause());
  }

  @Test
  void accessDenied() {
    String name = secretWith("{}");
    secretsManager().denyAccess(name);
    try {
      SQLException e = connectFails(url(name));
      assertEquals("08001", e.getSQLState());
      assertMentions(e, "AccessDeniedException", "secretsmanager:GetSecretValue");
      assertTrue(e.getCause() instanceof SdkException, "cause: " + e.getCause());
    } finally {
      secretsManager().allowAccess(name);
    }
  }

  @Test
  void noAwsCredentials() {
    SQLException e = connectFails(url(secretWith("{}"), "awsProfile=no-such-profile"));
    assertEquals("08001", e.getSQLState());
    assertMentions(e, "No AWS credentials", "IAM role", "AWS_PROFILE");
    assertTrue(e.getCause() instanceof SdkException, "cause: " + e.getCause());
  }

  @Test
  void secretThatIsNotJson() {
    SQLException e = connectFails(url(secretWith("username=app password=" + PASSWORD)));
    assertEquals("08001", e.getSQLState());
    assertMentions(e, "not valid JSON");
  }

  @Test
  void binarySecret() {
    String name = unique("binary");
    secretsManager()
        .createBinarySecret(
            name, TestSecret.credentialsOnly("app", PASSWORD).json().getBytes(UTF_8));
    SQLException e = connectFails(url(name));
    assertEquals("08001", e.getSQLState());
    assertMentions(e, "'" + name + "'", "binary secret");
  }

  @Test
  void missingKey() {
    SQLException e =
        connectFails(
            url(secretWith(TestSecret.credentialsOnly("app", PASSWORD).without("password"))));
    assertMentions(e, "'password' is missing");
  }

  @Test
  void missingEndpointKeys() {
    SQLException e = connectFails(url(secretWith(TestSecret.credentialsOnly("app", PASSWORD))));
    assertEquals("08001", e.getSQLState());
    assertMentions(e, "host, port, database", "//HOST:PORT/DATABASE");
  }

  @Test
  void mistypedKey() {
    TestSecret portInWords =
        TestSecret.credentialsOnly("app", PASSWORD)
            .with("host", "h")
            .with("port", "five")
            .with("database", "d");
    SQLException e = connectFails(url(secretWith(portInWords)));
    assertMentions(e, "'port' must be a number");
  }

  @Test
  void sslmodeDisableInProduction() {
    TestDeployment app = TestDeployment.builder("tls_refused").password(PASSWORD).create();
    SQLException e = connectFails(app.url("sslmode=disable"));
    assertEquals("08001", e.getSQLState());
    assertMentions(e, "sslmode=disable is refused in production", "verify-full");
  }

  @Test
  void unreachableSecretsManagerIsBoundedByTheApiCallTimeout() {
    String url =
        "jdbc:pazpaz-secrets:x?endpoint=http://127.0.0.1:9&region=us-east-1&awsApiCallTimeout=PT2S";
    SQLException e = connectFails(url);
    assertEquals("08001", e.getSQLState());
    assertMentions(e, "http://127.0.0.1:9");
  }
}
