package com.pazpaz.secrets.jdbc.testing;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Base64;
import java.util.List;

/**
 * Test only: what RDS and AWS Secrets Manager are in production. Once started, the JVM's {@link
 * TestPostgres} (TLS, SCRAM) has a login role with a random password and all privileges on its
 * database, and a {@link LocalSecretsManager} of this deployment alone holds the role's credentials
 * as the secret's AWSCURRENT version. The driver in this JVM uses that endpoint only between {@link
 * #useInThisJvm()} and {@link #close()}. Nothing prints the password; {@link #password()} is there
 * for leak checks only.
 */
public final class EmbeddedDeployment implements AutoCloseable {

  /** The secret of {@link #start()}, the one the examples and the demo name in their URL. */
  public static final String SECRET = "pazpaz/database-credentials";

  /** The role of {@link #start()}. */
  public static final String ROLE = "clinic_app";

  /** The database of {@link #start()}. */
  public static final String DATABASE = "clinic";

  private static final String ENDPOINT_PROPERTY = "pazpaz.secrets.endpoint";
  private static final String REGION_PROPERTY = "pazpaz.secrets.region";
  private static final SecureRandom RANDOM = new SecureRandom();

  private final TestPostgres postgres;
  private final LocalSecretsManager secretsManager;
  private final String secret;
  private final String role;
  private final String database;
  private volatile String password;

  private EmbeddedDeployment(
      TestPostgres postgres,
      LocalSecretsManager secretsManager,
      String secret,
      String role,
      String database) {
    this.postgres = postgres;
    this.secretsManager = secretsManager;
    this.secret = secret;
    this.role = role;
    this.database = database;
  }

  /** Role {@value #ROLE} in database {@value #DATABASE}, its credentials as {@value #SECRET}. */
  public static EmbeddedDeployment start() {
    return start(SECRET, ROLE, DATABASE);
  }

  /**
   * Starts the servers (PostgreSQL once per JVM, the Secrets Manager endpoint for this deployment
   * alone), creates or resets the role with a random password in the database (created if missing),
   * and stores the role's credentials as the secret's {@code AWSCURRENT} version.
   */
  public static EmbeddedDeployment start(String secret, String role, String database) {
    TestPostgres postgres = TestPostgres.get();
    LocalSecretsManager secretsManager = LocalSecretsManager.start();
    try {
      EmbeddedDeployment deployment =
          new EmbeddedDeployment(postgres, secretsManager, secret, role, database);
      deployment.password = randomPassword();
      postgres.createRole(role, deployment.password, database);
      secretsManager.createSecret(secret, deployment.secretJson(deployment.password));
      return deployment;
    } catch (RuntimeException e) {
      secretsManager.close();
      throw e;
    }
  }

  /**
   * Points the driver in this JVM at the local endpoint with the system properties {@code
   * pazpaz.secrets.endpoint} and {@code pazpaz.secrets.region}, until {@link #close()} (in a
   * deployment: nothing, or {@code AWS_ENDPOINT_URL_SECRETS_MANAGER} and {@code AWS_REGION}).
   */
  public EmbeddedDeployment useInThisJvm() {
    System.setProperty(ENDPOINT_PROPERTY, secretsManager.endpoint().toString());
    System.setProperty(REGION_PROPERTY, secretsManager.region());
    return this;
  }

  /**
   * The driver URL of the secret with the endpoint and region in its query, for a JVM without the
   * {@code pazpaz.secrets.*} system properties, such as a {@code mvn} run.
   */
  public String url() {
    return "jdbc:pazpaz-secrets:"
        + secret
        + "?endpoint="
        + secretsManager.endpoint()
        + "&region="
        + secretsManager.region();
  }

  /** What {@link #useInThisJvm()} sets, as command-line options of another JVM. */
  public List<String> systemPropertyOptions() {
    return List.of(
        "-D" + ENDPOINT_PROPERTY + "=" + secretsManager.endpoint(),
        "-D" + REGION_PROPERTY + "=" + secretsManager.region());
  }

  public TestPostgres postgres() {
    return postgres;
  }

  public LocalSecretsManager secretsManager() {
    return secretsManager;
  }

  public String secret() {
    return secret;
  }

  public String role() {
    return role;
  }

  public String database() {
    return database;
  }

  /**
   * The role's password (from the start or the last {@link #rotatePassword()}), only to check that
   * no log or output shows it.
   */
  public String password() {
    return password;
  }

  /** The secret's JSON for this role and database with the given password. */
  public String secretJson(String password) {
    return TestSecret.singleUser(role, password).withDatabase(database).json();
  }

  /**
   * A password rotation: the role's password changes in the database, then the new one becomes the
   * secret's AWSCURRENT version. Open sessions stay open; the driver's cached password is stale.
   */
  public void rotatePassword() {
    String newPassword = randomPassword();
    postgres.alterPassword(role, newPassword);
    password = newPassword;
    secretsManager.putSecretValue(secret, secretJson(newPassword), "AWSCURRENT");
  }

  /** The owner of a table in the database, which is the role that created it; null if none. */
  public String tableOwner(String table) throws SQLException {
    try (Connection admin = postgres.adminConnection(database);
        PreparedStatement statement =
            admin.prepareStatement("SELECT tableowner FROM pg_tables WHERE tablename = ?")) {
      statement.setString(1, table);
      try (ResultSet result = statement.executeQuery()) {
        return result.next() ? result.getString(1) : null;
      }
    }
  }

  /** 40 characters of base64url: 240 random bits. */
  public static String randomPassword() {
    byte[] bytes = new byte[30];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /**
   * Clears the two system properties and stops the endpoint; PostgreSQL, the role and its database
   * stay for the JVM's other tests.
   */
  @Override
  public void close() {
    System.clearProperty(ENDPOINT_PROPERTY);
    System.clearProperty(REGION_PROPERTY);
    secretsManager.close();
  }
}
