package com.pazpaz.secrets.jdbc.rotation;

import static com.pazpaz.secrets.jdbc.internal.SecretLocation.CURRENT;
import static com.pazpaz.secrets.jdbc.internal.SecretLocation.PENDING;
import static com.pazpaz.secrets.jdbc.internal.SecretLocation.PREVIOUS;

import com.pazpaz.secrets.jdbc.internal.DatabaseSecret;
import com.pazpaz.secrets.jdbc.internal.SecretDocument;
import com.pazpaz.secrets.jdbc.internal.SqlStates;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.postgresql.PGConnection;

/**
 * One rotation of a database secret in the four steps of Secrets Manager's rotation functions;
 * {@code rotate} on the command line and {@link RotationLambdaHandler} run this same code. The
 * order never leaves the database and the secret disagreeing in a way the driver cannot bridge: the
 * database changes only once the new password is stored as {@code AWSPENDING}, which the driver
 * tries when {@code AWSCURRENT} is rejected, and {@code AWSCURRENT} moves only after a login with
 * the new password worked.
 *
 * <p>Every step can run again after an interruption and then completes: createSecret keeps an
 * {@code AWSPENDING} value stored earlier for the same version, setSecret changes nothing when the
 * new password already logs in, testSecret only logs in, and finishSecret only takes off a leftover
 * {@code AWSPENDING} label when the version already is {@code AWSCURRENT}.
 *
 * <p>Passwords change through pgjdbc's {@link PGConnection#alterUserPassword}, which sends a
 * SCRAM-SHA-256 verifier computed on this machine: the plain password reaches neither the server
 * nor its logs. No message of this class holds a password.
 */
public final class SecretRotation {

  /** The key naming the master secret, as in AWS's multi-user rotation function. */
  public static final String MASTER_SECRET_KEY = "masterarn";

  private static final String SCRAM = "scram-sha-256";

  private final SecretVersions versions;
  private final DatabaseLogins logins;
  private final RotationStrategy strategy;
  private final PasswordGenerator passwords;
  private final @Nullable String masterSecretOverride;

  /**
   * A rotation of the secret that {@code versions} reads, with these logins and passwords.
   *
   * @param masterSecretOverride the master secret's id, or null for the secret's {@code masterarn}
   */
  public SecretRotation(
      SecretVersions versions,
      DatabaseLogins logins,
      RotationStrategy strategy,
      PasswordGenerator passwords,
      @Nullable String masterSecretOverride) {
    this.versions = versions;
    this.logins = logins;
    this.strategy = strategy;
    this.passwords = passwords;
    this.masterSecretOverride = masterSecretOverride;
  }

  /**
   * Stores a new password as version {@code token} with the stage AWSPENDING, unless it is there.
   */
  public String createSecret(String token) throws SQLException {
    SecretVersion pending = versions.read(token, PENDING);
    if (pending != null) {
      return "kept the AWSPENDING version stored earlier (user "
          + pending.document().username()
          + ")";
    }
    SecretDocument current = current().document();
    String username;
    try {
      username = strategy.pendingUsername(current.username());
    } catch (IllegalArgumentException e) {
      throw failure("Cannot rotate secret '" + versions.secretId() + "': " + e.getMessage() + ".");
    }
    if (strategy == RotationStrategy.ALTERNATING) {
      // Fail before anything is stored: without a master login setSecret could never run.
      masterSecretId(current);
    }
    versions.putPending(token, current.withLogin(username, passwords.generate()));
    return "stored a new "
        + PasswordGenerator.DEFAULT_LENGTH
        + "-character password for user "
        + username
        + " as AWSPENDING";
  }

  /** Gives the database the AWSPENDING password, unless it already accepts it. */
  public String setSecret(String token) throws SQLException {
    SecretDocument current = current().document();
    DatabaseSecret next = pending(token).document().credentials();
    if (logins.accepts(next)) {
      return "the database already accepts the new password of user " + next.username();
    }
    if (strategy == RotationStrategy.ALTERNATING) {
      try (Connection master = masterLogin(current)) {
        createRoleIfMissing(master, next.username(), current.username());
        changePassword(master, next);
      }
      return "set the new password of role " + next.username() + " with the master login";
    }
    DatabaseSecret now = current.credentials();
    if (!now.username().equals(next.username())) {
      throw failure(
          ("The AWSPENDING version of secret '%s' names user %s and AWSCURRENT names %s: it was"
                  + " created by an alternating-users rotation. Finish it with the alternating"
                  + " strategy (--strategy alternating, or ROTATION_STRATEGY=alternating).")
              .formatted(versions.secretId(), next.username(), now.username()));
    }
    if (!Objects.equals(now.host(), next.host())
        || !Objects.equals(now.port(), next.port())
        || !Objects.equals(now.database(), next.database())) {
      throw failure(
          ("The AWSPENDING and AWSCURRENT versions of secret '%s' name different databases (host,"
                  + " port or database): a rotation changes the password only. Take AWSPENDING off"
                  + " that version, correct AWSCURRENT, and rotate again.")
              .formatted(versions.secretId()));
    }
    try (Connection own = ownLogin(current, now)) {
      changePassword(own, next);
    }
    return "changed the password of role "
        + next.username()
        + " (SCRAM-SHA-256, hashed on this machine)";
  }

  /** Logs in with the AWSPENDING credentials. */
  public String testSecret(String token) throws SQLException {
    DatabaseSecret next = pending(token).document().credentials();
    try (Connection connection = logins.loginOrNull(next)) {
      if (connection == null) {
        throw new SQLException(
            ("PostgreSQL rejects the new password of user %s (AWSPENDING version %s of secret"
                    + " '%s'): setSecret has not taken effect. Run the rotation again; it resumes"
                    + " at setSecret.")
                .formatted(next.username(), token, versions.secretId()),
            SqlStates.INVALID_PASSWORD);
      }
      try (Statement statement = connection.createStatement()) {
        statement.execute("SELECT 1");
      }
    }
    return "logged in as " + next.username() + " with the new password";
  }

  /** Moves AWSCURRENT to version {@code token} and takes AWSPENDING off it. */
  public String finishSecret(String token) throws SQLException {
    SecretDescription description = versions.describe();
    String currentVersion = description.versionWith(CURRENT);
    boolean pendingLabel = description.stagesOf(token).contains(PENDING);
    if (token.equals(currentVersion)) {
      if (pendingLabel) {
        versions.removePending(token);
        return "the version already was AWSCURRENT; took off the AWSPENDING label left on it";
      }
      return "the version already is AWSCURRENT";
    }
    if (!pendingLabel) {
      throw failure(
          "Version "
              + token
              + " of secret '"
              + versions.secretId()
              + "' is no longer AWSPENDING: another rotation changed the secret. Run verify to"
              + " see its state.");
    }
    versions.promote(token, currentVersion);
    versions.removePending(token);
    return "AWSCURRENT is the new version; the old one is AWSPREVIOUS";
  }

  private SecretVersion current() throws SQLException {
    SecretVersion current = versions.read(CURRENT);
    if (current == null) {
      throw failure("Secret '" + versions.secretId() + "' has no AWSCURRENT version to rotate.");
    }
    return current;
  }

  private SecretVersion pending(String token) throws SQLException {
    SecretVersion pending = versions.read(token, PENDING);
    if (pending == null) {
      throw failure(
          "Version "
              + token
              + " of secret '"
              + versions.secretId()
              + "' is not AWSPENDING or has no value yet: createSecret must run first. Run the"
              + " rotation again.");
    }
    return pending;
  }

  /**
   * The role's own login: with AWSCURRENT, else with AWSPREVIOUS (the database may still have the
   * password of before a rotation whose finishSecret ran without setSecret), else, when a master
   * secret is known, the master's.
   */
  private Connection ownLogin(SecretDocument current, DatabaseSecret now) throws SQLException {
    Connection connection = logins.loginOrNull(now);
    if (connection != null) {
      return connection;
    }
    SecretVersion previous = versions.read(PREVIOUS);
    if (previous != null) {
      DatabaseSecret before = previous.document().credentials();
      if (before.username().equals(now.username())) {
        connection = logins.loginOrNull(before);
        if (connection != null) {
          return connection;
        }
      }
    }
    if (masterSecretOverride != null || current.text(MASTER_SECRET_KEY) != null) {
      return masterLogin(current);
    }
    throw new SQLException(
        "PostgreSQL accepts none of the passwords of user "
            + now.username()
            + " that secret '"
            + versions.secretId()
            + "' holds (AWSPENDING, AWSCURRENT, AWSPREVIOUS), so the role cannot change its own"
            + " password. Name a master secret (--master-secret ID, or a masterarn key in the"
            + " secret) whose login may ALTER ROLE, and run the rotation again: it sets the"
            + " role's password with that login.",
        SqlStates.INVALID_PASSWORD);
  }

  /** A login with the master secret's user and password, on the rotated secret's database. */
  private Connection masterLogin(SecretDocument current) throws SQLException {
    String masterId = masterSecretId(current);
    SecretVersion master = versions.otherSecret(masterId).read(CURRENT);
    if (master == null) {
      throw failure("The master secret '" + masterId + "' has no AWSCURRENT version.");
    }
    DatabaseSecret admin = master.document().credentials();
    DatabaseSecret app = current.credentials();
    // RDS-managed master secrets hold only username and password: the database is the app's.
    DatabaseSecret adminOnAppDatabase =
        new DatabaseSecret(
            admin.username(),
            admin.password(),
            app.host(),
            app.port(),
            app.database(),
            app.sslCertPath() != null ? app.sslCertPath() : admin.sslCertPath());
    Connection connection = logins.loginOrNull(adminOnAppDatabase);
    if (connection == null) {
      throw new SQLException(
          "PostgreSQL rejected the credentials of the master secret '"
              + masterId
              + "' (user "
              + admin.username()
              + "). Store the master role's current password in it.",
          SqlStates.INVALID_PASSWORD);
    }
    return connection;
  }

  private String masterSecretId(SecretDocument current) throws SQLException {
    String masterId =
        masterSecretOverride != null ? masterSecretOverride : current.text(MASTER_SECRET_KEY);
    if (masterId == null) {
      throw failure(
          "An alternating-users rotation needs a master login that may ALTER ROLE: add the key "
              + MASTER_SECRET_KEY
              + " (the master secret's ARN) to secret '"
              + versions.secretId()
              + "', or pass --master-secret ID.");
    }
    return masterId;
  }

  /** As AWS's multi-user function: the clone is created on first use, a member of the original. */
  private static void createRoleIfMissing(Connection master, String role, String memberOf)
      throws SQLException {
    try (PreparedStatement exists =
        master.prepareStatement("SELECT 1 FROM pg_roles WHERE rolname = ?")) {
      exists.setString(1, role);
      try (ResultSet rows = exists.executeQuery()) {
        if (rows.next()) {
          return;
        }
      }
    }
    try (Statement statement = master.createStatement()) {
      statement.execute(
          "CREATE ROLE " + quoteIdentifier(role) + " LOGIN IN ROLE " + quoteIdentifier(memberOf));
    }
  }

  private static void changePassword(Connection connection, DatabaseSecret next)
      throws SQLException {
    connection
        .unwrap(PGConnection.class)
        .alterUserPassword(next.username(), next.password().toCharArray(), SCRAM);
  }

  private static String quoteIdentifier(String identifier) {
    return '"' + identifier.replace("\"", "\"\"") + '"';
  }

  private static SQLException failure(String message) {
    return new SQLException(message, SqlStates.CONNECTION_UNABLE_TO_CONNECT);
  }
}
