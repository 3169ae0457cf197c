package com.pazpaz.secrets.jdbc;

import com.pazpaz.secrets.jdbc.testing.LocalSecretsManager;
import com.pazpaz.secrets.jdbc.testing.TestSecret;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * One application's login on the JVM's shared test servers: a role of its own in the embedded
 * PostgreSQL (database {@value TestSecret#DATABASE}) with a password the leak check {@link
 * NoPasswordsInLogs} knows, and the role's credentials as the AWSCURRENT version of a secret of its
 * own on the local Secrets Manager, with a driver that has its own cache. Tests in the same JVM
 * never see each other's role, secret or cached credentials.
 *
 * <p>Unlike {@link com.pazpaz.secrets.jdbc.testing.EmbeddedDeployment} (fixed names, an endpoint of
 * its own, for the examples), this lives beside the driver's package-private constructor.
 */
public final class TestDeployment {

  private final LocalSecretsManager secretsManager;
  private final String role;
  private final String password;
  private final String secretId;
  private final String arn;
  private final TestSecret storedSecret;
  private final String masterSecretId;
  private final String masterArn;
  private PazPazSecretsDriver driver;

  private TestDeployment(Builder builder, TestSecret storedSecret, String arn) {
    this.secretsManager = builder.secretsManager;
    this.role = builder.role;
    this.password = builder.password;
    this.secretId = builder.secretId;
    this.storedSecret = storedSecret;
    this.arn = arn;
    this.masterSecretId = builder.masterSecretId;
    this.masterArn = builder.masterArn;
  }

  /**
   * A role named {@code prefix_N} and its {@link TestSecret#singleUser single-user secret} named
   * {@code prefix-N}, on the shared local Secrets Manager.
   */
  public static TestDeployment create(String prefix) {
    return builder(prefix).create();
  }

  /** For a deployment that differs: another secret shape, name, endpoint or password. */
  public static Builder builder(String prefix) {
    return new Builder(prefix);
  }

  public String role() {
    return role;
  }

  /** The password the role logs in with (which the secret holds, unless the test changed it). */
  public String password() {
    return password;
  }

  /** The secret's name, the {@code SECRET_ID} of the URL. */
  public String secretId() {
    return secretId;
  }

  public String arn() {
    return arn;
  }

  /** The secret as it was first stored, to derive later versions from. */
  public TestSecret storedSecret() {
    return storedSecret;
  }

  /** The master login's secret of {@link Builder#alternatingUsers()}, null otherwise. */
  public String masterSecretId() {
    return masterSecretId;
  }

  /** The {@code masterarn} of {@link Builder#alternatingUsers()}, null otherwise. */
  public String masterArn() {
    return masterArn;
  }

  public LocalSecretsManager secretsManager() {
    return secretsManager;
  }

  /** The secret's URL with the local endpoint and region, and more query pairs if given. */
  public String url(String... extraQuery) {
    return DriverTestSupport.url(secretsManager, secretId, extraQuery);
  }

  /**
   * The deployment's driver, with its own cache and AWS clients: created on first use, the same one
   * afterwards, as an application has one.
   */
  public synchronized PazPazSecretsDriver driver() {
    if (driver == null) {
      driver = DriverTestSupport.isolatedDriver();
    }
    return driver;
  }

  /** Another password for the role, registered for the leak checks; nothing changes yet. */
  public String newPassword() {
    return DriverTestSupport.password(role);
  }

  /** The database half of a rotation: PostgreSQL accepts only this password from now on. */
  public void alterPassword(String newPassword) {
    DriverTestSupport.postgres().alterPassword(role, newPassword);
  }

  /**
   * The Secrets Manager half of a rotation: a new version of the stored secret with this password,
   * with the given stages (none means AWSCURRENT). Returns its version id.
   */
  public String storeVersion(String newPassword, String... stages) {
    return storeVersion(storedSecret.withPassword(newPassword), stages);
  }

  /** A new version holding {@code secret}, e.g. another user's credentials. */
  public String storeVersion(TestSecret secret, String... stages) {
    return secretsManager.putSecretValue(secretId, secret.json(), stages);
  }

  /** The id of the secret's version that carries the stage, or null. */
  public String versionId(String stage) {
    return secretsManager.versionId(secretId, stage);
  }

  /** What to build; {@link #create()} makes the role and stores the secret. */
  public static final class Builder {
    private final String prefix;
    private final String role;
    private String password;
    private String secretId;
    private LocalSecretsManager secretsManager = DriverTestSupport.secretsManager();
    private UnaryOperator<TestSecret> shape = UnaryOperator.identity();
    private boolean alternatingUsers;
    private boolean wrongPassword;
    private String masterSecretId;
    private String masterArn;

    private Builder(String prefix) {
      this.prefix = prefix;
      this.role = DriverTestSupport.unique(prefix);
      this.secretId = DriverTestSupport.unique(prefix.replace('_', '-'));
    }

    /** The secret's name, e.g. the default {@code pazpaz/database-credentials}. */
    public Builder secretId(String secretId) {
      this.secretId = Objects.requireNonNull(secretId);
      return this;
    }

    /** Another endpoint than the shared one, e.g. one the test will stop. */
    public Builder secretsManager(LocalSecretsManager secretsManager) {
      this.secretsManager = Objects.requireNonNull(secretsManager);
      return this;
    }

    /**
     * The role's password, instead of a new one; it is remembered for the leak checks. For a
     * password of a particular shape, such as a short one.
     */
    public Builder password(String password) {
      DriverTestSupport.rememberPassword(password);
      this.password = password;
      return this;
    }

    /**
     * The stored secret differs from the single-user one the role logs in with, e.g. {@code s ->
     * s.withCaFile(otherCa)} or {@code s -> s.withPassword(wrongPassword)}.
     */
    public Builder secret(UnaryOperator<TestSecret> shape) {
      this.shape = Objects.requireNonNull(shape);
      return this;
    }

    /**
     * Alternating users: also a master role ({@code role_master}) that may create roles and has
     * ADMIN OPTION on the role, as an RDS master user does, with a secret of only username and
     * password (as RDS-managed master secrets are), named by the secret's {@code masterarn}.
     */
    public Builder alternatingUsers() {
      this.alternatingUsers = true;
      return this;
    }

    /**
     * The secret holds another password than the role's (remembered for the leak checks too), so
     * PostgreSQL rejects every login with it; {@link TestDeployment#storedSecret()} has it.
     */
    public Builder secretWithWrongPassword() {
      this.wrongPassword = true;
      return this;
    }

    public TestDeployment create() {
      if (password == null) {
        password = DriverTestSupport.password(role);
      }
      DriverTestSupport.createRole(role, password);
      TestSecret secret = TestSecret.singleUser(role, password);
      if (wrongPassword) {
        secret = secret.withPassword(DriverTestSupport.password(role));
      }
      if (alternatingUsers) {
        secret = secret.alternatingWith(createMaster());
      }
      secret = shape.apply(secret);
      String arn = secretsManager.createSecret(secretId, secret.json());
      return new TestDeployment(this, secret, arn);
    }

    private String createMaster() {
      String master = role + "_master";
      String masterPassword = DriverTestSupport.password(master);
      DriverTestSupport.createRole(master, masterPassword);
      try (Connection admin = DriverTestSupport.postgres().adminConnection();
          Statement statement = admin.createStatement()) {
        statement.execute("ALTER ROLE \"" + master + "\" CREATEROLE");
        statement.execute("GRANT \"" + role + "\" TO \"" + master + "\" WITH ADMIN OPTION");
      } catch (SQLException e) {
        throw new IllegalStateException("cannot make " + master + " a master of " + role, e);
      }
      masterSecretId = DriverTestSupport.unique(prefix.replace('_', '-') + "-master");
      masterArn =
          secretsManager.createSecret(
              masterSecretId, TestSecret.credentialsOnly(master, masterPassword).json());
      return masterArn;
    }
  }
}
