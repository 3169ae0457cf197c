package com.pazpaz.secrets.jdbc.internal;

import java.lang.System.Logger.Level;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Opens pgjdbc connections with the right credentials, and owns the login-failure policy: when
 * PostgreSQL rejects a cached secret, read the secret again (and its {@code AWSPENDING} version
 * during a rotation) and retry, at most two extra logins per connect. The connection returned is
 * pgjdbc's own, not a proxy.
 */
public final class Connector {

  private static final System.Logger LOG = Logging.LOGGER;
  private static final int MAX_EXTRA_LOGINS = 2;

  private final SecretCache cache;

  public Connector(SecretCache cache) {
    this.cache = cache;
  }

  public Connection connect(ConnectionSettings settings) throws SQLException {
    if (!settings.environment().usesSecretsManager()) {
      return connectWithDatabaseUrl(settings, localDatabaseUrl(settings));
    }
    SecretLocation location = settings.secretLocation();
    FetchedSecret cached;
    try {
      cached = cache.get(location, settings.cacheTtl());
    } catch (SecretReadException e) {
      if (!settings.fallbackToDatabaseUrl() || settings.databaseUrl() == null) {
        throw e;
      }
      LOG.log(
          Level.WARNING,
          Logging.event(
              "using_database_url_fallback",
              "secret",
              location.secretId(),
              "error",
              e.awsErrorCode()));
      try {
        return connectWithDatabaseUrl(settings, DatabaseUrl.parse(settings.databaseUrl()));
      } catch (SQLException fallbackFailure) {
        // Both sources failed: the user needs to see why Secrets Manager was skipped too.
        fallbackFailure.addSuppressed(e);
        throw fallbackFailure;
      }
    }
    return connectWithSecret(settings, location, cached);
  }

  private Connection connectWithSecret(
      ConnectionSettings settings, SecretLocation location, FetchedSecret cached)
      throws SQLException {
    SQLException rejection;
    try {
      return open(settings, cached.secret(), Map.of(), location.secretId());
    } catch (SQLException e) {
      if (!LoginFailures.isLoginFailure(e)) {
        throw e;
      }
      rejection = e;
    }
    SecretCache.ForcedRead reread;
    try {
      reread = cache.forceRead(location, cached);
    } catch (SQLException readFailure) {
      rejection.addSuppressed(readFailure);
      throw rejected(location, cached, rejection);
    }
    SecretMetrics metrics = cache.metrics(location);
    List<DatabaseSecret> tried = new ArrayList<>(List.of(cached.secret()));
    for (FetchedSecret candidate : candidates(reread)) {
      if (tried.size() > MAX_EXTRA_LOGINS
          || tried.stream().anyMatch(candidate.secret()::sameLogin)) {
        continue;
      }
      tried.add(candidate.secret());
      metrics.loginRetried();
      try {
        Connection connection = open(settings, candidate.secret(), Map.of(), location.secretId());
        boolean pending = candidate == reread.pending();
        if (pending) {
          metrics.loginRescuedByPending();
        }
        String stage = pending ? SecretLocation.PENDING : location.versionStage();
        // During a rotation window every new login is rescued the same way: say it once.
        LOG.log(
            metrics.firstLoginWith(stage, candidate.versionId()) ? Level.INFO : Level.DEBUG,
            Logging.event(
                "credentials_refreshed_after_auth_failure",
                "secret",
                location.secretId(),
                "stage",
                stage,
                "version",
                candidate.versionId()));
        return connection;
      } catch (SQLException e) {
        if (!LoginFailures.isLoginFailure(e)) {
          throw e;
        }
        rejection.addSuppressed(e);
      }
    }
    throw rejected(location, reread.current(), rejection);
  }

  private static List<FetchedSecret> candidates(SecretCache.ForcedRead reread) {
    return reread.pending() == null
        ? List.of(reread.current())
        : List.of(reread.current(), reread.pending());
  }

  private Connection connectWithDatabaseUrl(ConnectionSettings settings, DatabaseUrl databaseUrl)
      throws SQLException {
    try {
      return open(settings, databaseUrl.credentials(), databaseUrl.parameters(), null);
    } catch (SQLException e) {
      if (!LoginFailures.isLoginFailure(e)) {
        throw e;
      }
      throw new SQLException(
          "PostgreSQL rejected the credentials from DATABASE_URL (user "
              + databaseUrl.credentials().username()
              + "): correct the user or password in DATABASE_URL.",
          SqlStates.INVALID_PASSWORD,
          e);
    }
  }

  private static DatabaseUrl localDatabaseUrl(ConnectionSettings settings) throws SQLException {
    if (settings.databaseUrl() == null) {
      throw new SQLException(
          "environment="
              + settings.environment().displayName()
              + " reads the credentials from DATABASE_URL, which is not set. Set DATABASE_URL"
              + " (or the key databaseUrl) to postgresql://USER:PASSWORD@HOST:PORT/DATABASE, or"
              + " set ENVIRONMENT=production to use Secrets Manager.",
          SqlStates.CONNECTION_REJECTED);
    }
    return DatabaseUrl.parse(settings.databaseUrl());
  }

  /**
   * One login with exactly these credentials: no cache, no re-read, no retry. For the operator
   * tools, which must know which credentials a login used.
   *
   * @param secretId names the secret in errors
   */
  public static Connection login(
      ConnectionSettings settings, DatabaseSecret credentials, String secretId)
      throws SQLException {
    return open(settings, credentials, Map.of(), secretId);
  }

  /**
   * One login through pgjdbc, with a fresh Properties holding every key explicitly.
   *
   * @param secretId names the secret in errors, or null for DATABASE_URL
   */
  private static Connection open(
      ConnectionSettings settings,
      DatabaseSecret credentials,
      Map<String, String> sourceParameters,
      String secretId)
      throws SQLException {
    Endpoint endpoint = endpoint(settings, credentials, secretId);
    Properties pgjdbc = pgjdbcProperties(settings, credentials, sourceParameters);
    Connection connection = Pgjdbc.driver().connect(pgjdbcUrl(endpoint), pgjdbc);
    if (connection == null) {
      throw new SQLException(
          "pgjdbc did not accept the URL it was given", SqlStates.CONNECTION_REJECTED);
    }
    return connection;
  }

  /**
   * The Properties pgjdbc gets for one login, every key explicit; public for the benchmark of the
   * driver's own per-connect work.
   */
  public static Properties pgjdbcProperties(
      ConnectionSettings settings, DatabaseSecret credentials, Map<String, String> sourceParameters)
      throws SQLException {
    Properties pgjdbc = new Properties();
    sourceParameters.forEach(pgjdbc::setProperty);
    settings.pgjdbcProperties().forEach(pgjdbc::setProperty);
    pgjdbc.setProperty("user", credentials.username());
    pgjdbc.setProperty("password", credentials.password());
    pgjdbc.putAll(tlsSettings(settings, credentials, sourceParameters));
    return pgjdbc;
  }

  /**
   * The {@code sslmode} and {@code sslrootcert} a login with these credentials gets; shared with
   * the verify tool so that it reports what the driver really does.
   */
  public static Properties tlsSettings(
      ConnectionSettings settings, DatabaseSecret credentials, Map<String, String> sourceParameters)
      throws SQLException {
    Properties tls = new Properties();
    TlsPolicy.apply(
        settings.environment(),
        settings.sslmode() != null ? settings.sslmode() : sourceParameters.get("sslmode"),
        settings.sslrootcert() != null
            ? settings.sslrootcert()
            : sourceParameters.get("sslrootcert"),
        credentials.sslCertPath(),
        tls);
    return tls;
  }

  /** Where a login with these credentials goes: the URL's endpoint, else the secret's. */
  public static Endpoint endpoint(
      ConnectionSettings settings, DatabaseSecret credentials, String secretId)
      throws SQLException {
    if (settings.urlEndpoint() != null) {
      return settings.urlEndpoint();
    }
    List<String> missing = new ArrayList<>();
    if (credentials.host() == null) {
      missing.add("host");
    }
    if (credentials.port() == null) {
      missing.add("port");
    }
    if (credentials.database() == null) {
      missing.add("database");
    }
    if (!missing.isEmpty()) {
      throw SecretParser.malformed(
          secretId,
          "the key(s) "
              + String.join(", ", missing)
              + " are missing and the URL names no endpoint (add them to the secret, or use "
              + JdbcUrl.PREFIX
              + "//HOST:PORT/DATABASE?secretId=...)");
    }
    return new Endpoint(credentials.host(), credentials.port(), credentials.database());
  }

  /** pgjdbc's URL for the endpoint. */
  public static String pgjdbcUrl(Endpoint endpoint) {
    String host = endpoint.host().contains(":") ? "[" + endpoint.host() + "]" : endpoint.host();
    return "jdbc:postgresql://"
        + host
        + ":"
        + endpoint.port()
        + "/"
        + URLEncoder.encode(endpoint.database(), StandardCharsets.UTF_8);
  }

  private static SQLException rejected(
      SecretLocation location, FetchedSecret last, SQLException rejection) {
    return new SQLException(
        "PostgreSQL rejected the credentials of secret '"
            + location.secretId()
            + "' (stage "
            + location.versionStage()
            + ", version "
            + last.versionId()
            + ", user "
            + last.secret().username()
            + "), also after reading the secret again. If the password was just rotated, check"
            + " that the database and the secret's "
            + location.versionStage()
            + " version agree; otherwise store the role's current password in the secret.",
        SqlStates.INVALID_PASSWORD,
        rejection);
  }

  /** Fails with the same clear error as a connect when pgjdbc is not on the class path. */
  public static void requirePgjdbc() throws SQLException {
    Pgjdbc.driver();
  }

  /** pgjdbc, loaded on first use so that a missing jar gives a clear error. */
  private static final class Pgjdbc {
    static Driver driver() throws SQLException {
      try {
        return Holder.DRIVER;
      } catch (NoClassDefFoundError | ExceptionInInitializerError e) {
        throw new SQLException(
            "pgjdbc is not on the class path: add org.postgresql:postgresql (42.7.7 or newer)"
                + " next to pazpaz-secrets-jdbc.",
            SqlStates.CONNECTION_REJECTED,
            e);
      }
    }

    private static final class Holder {
      static final Driver DRIVER = new org.postgresql.Driver();
    }
  }
}
