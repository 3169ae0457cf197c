package com.pazpaz.secrets.jdbc;

import static com.pazpaz.secrets.jdbc.DriverTestSupport.createRole;
import static com.pazpaz.secrets.jdbc.DriverTestSupport.isolatedDriver;
import static com.pazpaz.secrets.jdbc.DriverTestSupport.password;
import static com.pazpaz.secrets.jdbc.DriverTestSupport.postgres;
import static com.pazpaz.secrets.jdbc.DriverTestSupport.queryString;
import static com.pazpaz.secrets.jdbc.DriverTestSupport.secretsManager;
import static com.pazpaz.secrets.jdbc.DriverTestSupport.unique;
import static com.pazpaz.secrets.jdbc.DriverTestSupport.url;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pazpaz.secrets.jdbc.testing.LogCapture;
import java.io.File;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** DATABASE_URL locally with no AWS call, and as the production fallback. */
@ExtendWith(NoPasswordsInLogs.class)
class LocalEnvironmentTest {

  /** A SQLAlchemy-style DATABASE_URL for the role; TLS parameters ride along in its query. */
  private static String databaseUrl(String role, String password) {
    return "postgresql+asyncpg://"
        + role
        + ":"
        + URLEncoder.encode(password, StandardCharsets.UTF_8)
        + "@"
        + postgres().host()
        + ":"
        + postgres().port()
        + "/"
        + DriverTestSupport.DATABASE
        + "?sslmode=verify-full&sslrootcert="
        + postgres().caCertificate();
  }

  @Test
  void localEnvironmentUsesDatabaseUrlAndNeverCallsAws() throws Exception {
    String role = unique("local_app");
    String password = password(role) + "@:/%+";
    createRole(role, password);
    int callsBefore = secretsManager().calls("GetSecretValue");
    PazPazSecretsDriver driver =
        isolatedDriver(Map.of("ENVIRONMENT", "local", "DATABASE_URL", databaseUrl(role, password)));
    try (Connection connection =
        driver.connect(url("pazpaz/database-credentials"), new Properties())) {
      assertEquals(role, queryString(connection, "SELECT current_user"));
    }
    assertEquals(callsBefore, secretsManager().calls("GetSecretValue"));
  }

  /** The same through real environment variables in a fresh JVM, as a user would run it. */
  @Test
  void localEnvironmentThroughRealEnvironmentVariables() throws Exception {
    String role = unique("local_env");
    String password = password(role);
    createRole(role, password);
    ProcessBuilder child =
        new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp",
            System.getProperty("java.class.path"),
            LocalConnectMain.class.getName(),
            "jdbc:pazpaz-secrets:pazpaz/database-credentials");
    child.environment().put("ENVIRONMENT", "local");
    child.environment().put("DATABASE_URL", databaseUrl(role, password));
    child.environment().put("AWS_EC2_METADATA_DISABLED", "true");
    child.redirectErrorStream(true);
    child.redirectOutput(File.createTempFile("local-connect", ".log"));
    Process process = child.start();
    assertTrue(process.waitFor(60, TimeUnit.SECONDS), "child JVM did not finish");
    File output = child.redirectOutput().file();
    String printed = Files.readString(output.toPath());
    assertEquals(0, process.exitValue(), printed);
    assertTrue(printed.contains("current_user=" + role), printed);
    assertFalse(printed.contains(password), "password printed: " + printed);
  }

  @Test
  void localEnvironmentWithoutDatabaseUrlSaysWhatToSet() {
    SQLException e =
        assertThrows(
            SQLException.class,
            () -> isolatedDriver(Map.of("ENVIRONMENT", "development")).connect(url("x"), null));
    assertEquals("08001", e.getSQLState());
    assertTrue(e.getMessage().contains("DATABASE_URL"), e.getMessage());
  }

  @Test
  void productionFallsBackToDatabaseUrlWithAWarningWhenSecretsManagerCannotBeRead()
      throws Exception {
    String role = unique("fallback_app");
    String password = password(role);
    createRole(role, password);
    String secret = unique("fallback-denied");
    secretsManager().createSecret(secret, "{}");
    secretsManager().denyAccess(secret);
    PazPazSecretsDriver driver =
        isolatedDriver(Map.of("DATABASE_URL", databaseUrl(role, password)));
    try (LogCapture logs = LogCapture.finest();
        Connection connection = driver.connect(url(secret), new Properties())) {
      assertEquals(role, queryString(connection, "SELECT current_user"));
      List<String> warnings = logs.linesContaining("using_database_url_fallback");
      assertEquals(1, warnings.size(), logs.lines().toString());
      assertTrue(warnings.get(0).contains("AccessDeniedException"), warnings.get(0));
      assertTrue(logs.linesContaining(password).isEmpty(), "password in logs");
    } finally {
      secretsManager().allowAccess(secret);
    }
  }

  @Test
  void fallbackCanBeSwitchedOff() {
    String secret = unique("fallback-off");
    secretsManager().createSecret(secret, "{}");
    secretsManager().denyAccess(secret);
    try {
      PazPazSecretsDriver driver =
          isolatedDriver(Map.of("DATABASE_URL", "postgresql://u:p@localhost/db"));
      SQLException e =
          assertThrows(
              SQLException.class,
              () -> driver.connect(url(secret, "fallbackToDatabaseUrl=false"), new Properties()));
      assertEquals("08001", e.getSQLState());
      assertTrue(e.getMessage().contains("AccessDeniedException"), e.getMessage());
    } finally {
      secretsManager().allowAccess(secret);
    }
  }

  @Test
  void failedFallbackAlsoShowsWhySecretsManagerWasSkipped() {
    String secret = unique("fallback-broken");
    secretsManager().createSecret(secret, "{}");
    secretsManager().denyAccess(secret);
    try {
      PazPazSecretsDriver driver = isolatedDriver(Map.of("DATABASE_URL", "mysql://u:p@h/db"));
      SQLException e =
          assertThrows(SQLException.class, () -> driver.connect(url(secret), new Properties()));
      assertTrue(e.getMessage().contains("DATABASE_URL"), e.getMessage());
      assertEquals(1, e.getSuppressed().length);
      assertTrue(
          e.getSuppressed()[0].getMessage().contains("AccessDeniedException"),
          e.getSuppressed()[0].getMessage());
    } finally {
      secretsManager().allowAccess(secret);
    }
  }

  /** Run in a child JVM: connects with the URL in args[0] and prints the user. */
  public static final class LocalConnectMain {
    public static void main(String[] args) throws SQLException {
      try (Connection connection = DriverManager.getConnection(args[0])) {
        System.out.println("current_user=" + queryString(connection, "SELECT current_user"));
      }
    }
  }
}
