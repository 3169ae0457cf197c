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
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * Opens pgjdbc connections with the right credentials, and owns the login-failure policy: when
 * PostgreSQL rejects a cached secret, read the secret again (and its {@code AWSPENDING} version
 * during a rotation) and retry, at most two extra logins per connect. A pending version that
 * PostgreSQL accepted is remembered ({@link RememberedLogin}) and tried first by later connects, so
 * a rotation window costs each connecting thread at most one rejected login. The connection
 * returned is pgjdbc's own, not a proxy.
 */
public final class Connector {

  private static final System.Logger LOG = Logging.LOGGER;
  private static final int MAX_EXTRA_LOGINS = 2;

  /** Secret id, stage, version, user; the stage is named twice. */
  private static final String REJECTED =
      """
      PostgreSQL rejected the credentials of secret '%1$s' (stage %2$s, version %3$s, user %4$s), \
      also after reading the secret again. If the password was just rotated, check that the \
      database and the secret's %2$s version agree; otherwise store the role's current password \
      in the secret.""";

  private final SecretCache cache;
  private final Map<SecretLocation, RememberedLogin> rememberedLogins = new ConcurrentHashMap<>();
  private final Map<SecretLocation, LoginPlan> plans = new ConcurrentHashMap<>();

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

  /**
   * Logs in with the remembered login of a rotation window, else the cached secret; when PostgreSQL
   * rejects it, applies the retry policy.
   */
  private Connection connectWithSecret(
      ConnectionSettings settings, SecretLocation location, FetchedSecret cached)
      throws SQLException {
    RememberedLogin remembered = rememberedLogin(location);
    FetchedSecret first = remembered.firstLogin(cached);
    SQLException rejection;
    try {
      return open(plan(settings, location, first.secret()));
    } catch (SQLException e) {
      rejection = countedRejection(location, e);
    }
    remembered.rejected(first);
    SecretCache.ForcedRead reread;
    try {
      reread = cache.forceRead(location, first);
    } catch (SQLException readFailure) {
      rejection.addSuppressed(readFailure);
      throw rejected(location, cached, rejection);
    }
    return retryAfterRejection(settings, location, retries(reread, first), rejection);
  }

  /** Tries each candidate once, in order; the first that PostgreSQL accepts wins. */
  private Connection retryAfterRejection(
      ConnectionSettings settings, SecretLocation location, Retries retries, SQLException rejection)
      throws SQLException {
    for (Candidate candidate : retries.candidates()) {
      Connection connection = retry(settings, location, candidate, rejection);
      if (connection != null) {
        accepted(location, candidate, retries.current());
        return connection;
      }
    }
    throw rejected(location, retries.current(), rejection);
  }

  /** One extra login; null when PostgreSQL rejected it too (added to {@code rejection}). */
  private @Nullable Connection retry(
      ConnectionSettings settings,
      SecretLocation location,
      Candidate candidate,
      SQLException rejection)
      throws SQLException {
    cache.metrics(location).loginRetried();
    try {
      return open(plan(settings, location, candidate.secret().secret()));
    } catch (SQLException e) {
      rejection.addSuppressed(countedRejection(location, e));
      return null;
    }
  }

  /** A login failure, counted for JMX; any other failure is thrown as it is. */
  private SQLException countedRejection(SecretLocation location, SQLException failure)
      throws SQLException {
    if (!LoginFailures.isLoginFailure(failure)) {
      throw failure;
    }
    cache.metrics(location).loginRejected();
    return failure;
  }

  /** Remembers a pending login for later connects and says, once per version, that it helped. */
  private void accepted(SecretLocation location, Candidate candidate, FetchedSecret cachedNow) {
    SecretMetrics metrics = cache.metrics(location);
    String stage = candidate.pending() ? SecretLocation.PENDING : location.versionStage();
    if (candidate.pending()) {
      metrics.loginRescuedByPending();
      rememberedLogin(location).remember(candidate.secret(), stage, cachedNow);
    }
    // Each connecting thread may be rescued once in a window: say it once.
    LOG.log(
        metrics.firstLoginWith(stage, candidate.secret().versionId()) ? Level.INFO : Level.DEBUG,
        Logging.event(
            "credentials_refreshed_after_auth_failure",
            "secret",
            location.secretId(),
            "stage",
            stage,
            "version",
            candidate.secret().versionId()));
  }

  private RememberedLogin rememberedLogin(SecretLocation location) {
    return rememberedLogins.computeIfAbsent(
        location, key -> new RememberedLogin(key, cache.metrics(key)));
  }

  /**
   * The login plan for these credentials of this location: the one kept from the last connect when
   * it was made from the same settings and credentials, else a new one, kept in its place. Public
   * for the benchmark of the driver's own per-connect work.
   */
  public LoginPlan plan(
      ConnectionSettings settings, SecretLocation location, DatabaseSecret credentials)
      throws SQLException {
    LoginPlan kept = plans.get(location);
    if (kept != null && kept.isFor(settings, credentials)) {
      return kept;
    }
    LoginPlan made = LoginPlan.of(settings, credentials, Map.of(), location.secretId());
    plans.put(location, made);
    return made;
  }

  /** Forgets every remembered login and login plan (the runtime is closing; its metrics go too). */
  public void forgetLogins() {
    rememberedLogins.values().forEach(RememberedLogin::forget);
    rememberedLogins.clear();
    plans.clear();
  }

  /**
   * What a forced read offers after {@code rejected} failed: the stage read again, then AWSPENDING,
   * each login once and never the rejected one, at most {@link #MAX_EXTRA_LOGINS}.
   */
  private static Retries retries(SecretCache.ForcedRead reread, FetchedSecret rejected) {
    List<Candidate> offered = new ArrayList<>();
    offered.add(new Candidate(reread.current(), false));
    FetchedSecret pending = reread.pending();
    if (pending != null) {
      offered.add(new Candidate(pending, true));
    }
    List<Candidate> distinct = new ArrayList<>();
    for (Candidate candidate : offered) {
      if (distinct.size() < MAX_EXTRA_LOGINS
          && !candidate.secret().secret().sameLogin(rejected.secret())
          && distinct.stream().noneMatch(candidate::sameLogin)) {
        distinct.add(candidate);
      }
    }
    return new Retries(reread.current(), List.copyOf(distinct));
  }

  /** A login to retry with, and whether it is the AWSPENDING version. */
  private record Candidate(FetchedSecret secret, boolean pending) {
    boolean sameLogin(Candidate other) {
      return secret.secret().sameLogin(other.secret.secret());
    }
  }

  /** The retries of one connect, and the stage's value as the forced read found it. */
  private record Retries(FetchedSecret current, List<Candidate> candidates) {}

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
          SqlStates.CONNECTION_UNABLE_TO_CONNECT);
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
      ConnectionSettings settings, DatabaseSecret credentials, @Nullable String secretId)
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
      @Nullable String secretId)
      throws SQLException {
    return open(LoginPlan.of(settings, credentials, sourceParameters, secretId));
  }

  private static Connection open(LoginPlan plan) throws SQLException {
    Connection connection = Pgjdbc.driver().connect(plan.url(), plan.properties());
    if (connection == null) {
      throw new SQLException(
          "pgjdbc did not accept the URL it was given", SqlStates.CONNECTION_UNABLE_TO_CONNECT);
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
      ConnectionSettings settings, DatabaseSecret credentials, @Nullable String secretId)
      throws SQLException {
    if (settings.urlEndpoint() != null) {
      return settings.urlEndpoint();
    }
    String host = credentials.host();
    Integer port = credentials.port();
    String database = credentials.database();
    if (host == null || port == null || database == null) {
      List<String> missing = new ArrayList<>();
      if (host == null) {
        missing.add("host");
      }
      if (port == null) {
        missing.add("port");
      }
      if (database == null) {
        missing.add("database");
      }
      throw SecretParser.malformed(
          secretId,
          ("the key(s) %s are missing and the URL names no endpoint (add them to the secret, or"
                  + " use %s//HOST:PORT/DATABASE?secretId=...)")
              .formatted(String.join(", ", missing), JdbcUrl.PREFIX));
    }
    return new Endpoint(host, port, database);
  }

  /** pgjdbc's URL for the endpoint. */
  public static String pgjdbcUrl(Endpoint endpoint) {
    String host = endpoint.urlHost();
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
        REJECTED.formatted(
            location.secretId(),
            location.versionStage(),
            last.versionId(),
            last.secret().username()),
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
            SqlStates.CONNECTION_UNABLE_TO_CONNECT,
            e);
      }
    }

    private static final class Holder {
      static final Driver DRIVER = new org.postgresql.Driver();
    }
  }
}
