package com.pazpaz.secrets.jdbc;

import com.pazpaz.secrets.jdbc.internal.DriverRuntime;
import com.pazpaz.secrets.jdbc.internal.LoginFailures;
import com.pazpaz.secrets.jdbc.internal.SecretLocation;
import com.pazpaz.secrets.jdbc.internal.SecretsManagerSource;
import com.pazpaz.secrets.jdbc.testing.LocalSecretsManager;
import com.pazpaz.secrets.jdbc.testing.TestPostgres;
import com.pazpaz.secrets.jdbc.testing.TestSecret;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The real servers the driver tests share (one PostgreSQL, one local Secrets Manager per JVM), and
 * helpers to give each test its own role, secret and driver so that tests do not see each other's
 * cache. {@link TestDeployment} puts these together for the usual start of a test.
 */
public final class DriverTestSupport {

  public static final String DATABASE = TestSecret.DATABASE;

  private static final AtomicInteger NEXT = new AtomicInteger();
  private static final Set<String> PASSWORDS = ConcurrentHashMap.newKeySet();
  private static LocalSecretsManager secretsManager;

  private DriverTestSupport() {}

  public static TestPostgres postgres() {
    return TestPostgres.get();
  }

  public static synchronized LocalSecretsManager secretsManager() {
    if (secretsManager == null) {
      secretsManager = LocalSecretsManager.start();
      Runtime.getRuntime().addShutdownHook(new Thread(secretsManager::close));
    }
    return secretsManager;
  }

  /** A name no other test uses, e.g. role_7. */
  public static String unique(String prefix) {
    return prefix + "_" + NEXT.incrementAndGet();
  }

  /**
   * A password that is easy to search for in logs and messages; every one handed out is remembered
   * for {@link NoPasswordsInLogs}.
   */
  public static String password(String role) {
    String password = "pw-" + role + "-" + Long.toHexString(System.nanoTime()) + "-x9Q2mZ7kLr3";
    PASSWORDS.add(password);
    return password;
  }

  /**
   * Remembers a password that was not handed out by {@link #password} (one a rotation generated, a
   * shortened one) so that {@link NoPasswordsInLogs} searches for it too.
   */
  public static void rememberPassword(String password) {
    PASSWORDS.add(password);
  }

  /** Every password handed out by {@link #password} in this JVM. */
  public static Set<String> passwordsUsed() {
    return Set.copyOf(PASSWORDS);
  }

  /** A role that can log in to {@link #DATABASE} with the password. */
  public static void createRole(String role, String password) {
    postgres().createRole(role, password, DATABASE);
  }

  /** Whether PostgreSQL accepts this role and password now (over verified TLS, as the driver). */
  public static boolean logsIn(String role, String password) throws SQLException {
    Properties properties = postgres().tlsProperties();
    properties.setProperty("user", role);
    properties.setProperty("password", password);
    try {
      DriverManager.getConnection(postgres().jdbcUrl(DATABASE), properties).close();
      return true;
    } catch (SQLException e) {
      if (LoginFailures.isLoginFailure(e)) {
        return false;
      }
      throw e;
    }
  }

  /**
   * The secret JSON for a role on the test PostgreSQL, with the test CA as ssl_cert_path: {@link
   * TestSecret#singleUser}, whose {@code with...} methods give other shapes.
   */
  public static String secretJson(String role, String password) {
    return TestSecret.singleUser(role, password).json();
  }

  /** The URL of a secret on the shared local Secrets Manager. */
  public static String url(String secretId, String... extraQuery) {
    return url(secretsManager(), secretId, extraQuery);
  }

  /** The URL of a secret on this local Secrets Manager, with more query pairs if given. */
  public static String url(
      LocalSecretsManager secretsManager, String secretId, String... extraQuery) {
    StringBuilder url =
        new StringBuilder(PazPazSecretsDriver.URL_PREFIX)
            .append(secretId)
            .append("?endpoint=")
            .append(secretsManager.endpoint())
            .append("&region=")
            .append(secretsManager.region());
    for (String pair : extraQuery) {
      url.append('&').append(pair);
    }
    return url.toString();
  }

  /** A driver with its own cache and AWS clients, reading the given environment variables. */
  public static PazPazSecretsDriver isolatedDriver(Map<String, String> environment) {
    return new PazPazSecretsDriver(
        () -> new DriverRuntime(new SecretsManagerSource()), System::getProperty, environment::get);
  }

  /** A driver on a runtime the test holds (and closes), reading no environment variables. */
  public static PazPazSecretsDriver driverOn(DriverRuntime runtime) {
    return new PazPazSecretsDriver(() -> runtime, System::getProperty, name -> null);
  }

  public static PazPazSecretsDriver isolatedDriver() {
    return isolatedDriver(Map.of());
  }

  /** The JMX counters the driver keeps for a secret location. */
  public static SecretMXBean metrics(PazPazSecretsDriver driver, SecretLocation location) {
    return driver.runtime().metrics(location);
  }

  public static String queryString(Connection connection, String sql) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery(sql)) {
      result.next();
      return result.getString(1);
    }
  }

  /** Whether the password appears anywhere in the exception, its causes or suppressed ones. */
  public static boolean mentions(Throwable failure, String password) {
    if (failure == null) {
      return false;
    }
    if (String.valueOf(failure.getMessage()).contains(password)
        || failure.toString().contains(password)) {
      return true;
    }
    for (Throwable suppressed : failure.getSuppressed()) {
      if (mentions(suppressed, password)) {
        return true;
      }
    }
    return mentions(failure.getCause(), password);
  }
}
