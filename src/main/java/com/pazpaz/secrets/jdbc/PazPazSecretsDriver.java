package com.pazpaz.secrets.jdbc;

import com.pazpaz.secrets.jdbc.internal.ConnectionSettings;
import com.pazpaz.secrets.jdbc.internal.DeploymentEnvironment;
import com.pazpaz.secrets.jdbc.internal.DriverRuntime;
import com.pazpaz.secrets.jdbc.internal.JdbcUrl;
import com.pazpaz.secrets.jdbc.internal.Logging;
import com.pazpaz.secrets.jdbc.internal.SettingsCache;
import com.pazpaz.secrets.jdbc.internal.SqlStates;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.DriverPropertyInfo;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Properties;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.logging.Logger;
import org.jspecify.annotations.Nullable;

/**
 * The {@code jdbc:pazpaz-secrets:} driver: PostgreSQL through pgjdbc, with the credentials from AWS
 * Secrets Manager (or {@code DATABASE_URL} locally). It accepts no other URL.
 *
 * <p>Loading the class registers one instance with {@link DriverManager}, however often the class
 * is loaded or instantiated. Deregistering it (as an application server does when it stops or
 * redeploys an application) releases everything that could keep the application's class loader
 * alive: the refresh threads end, the SDK clients close (and their timer threads with them), the
 * MXBeans are unregistered and the cache is emptied. The driver keeps no shutdown hook and no
 * ThreadLocal. A connect after deregistration still works and starts afresh; what it starts is
 * released only when the JVM exits, so an application deregisters the driver last.
 */
public final class PazPazSecretsDriver implements Driver {

  /** The prefix of every URL this driver accepts: {@value}. */
  public static final String URL_PREFIX = JdbcUrl.PREFIX;

  static final int MAJOR_VERSION = 0;
  static final int MINOR_VERSION = 1;

  private static final PazPazSecretsDriver REGISTERED = new PazPazSecretsDriver();

  static {
    try {
      DriverManager.registerDriver(REGISTERED, () -> DriverRuntime.shared().close());
    } catch (SQLException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final DriverRuntime runtime;
  private final Function<String, String> systemProperties;
  private final Function<String, String> environmentVariables;
  private final SettingsCache settingsCache;

  /** A driver that shares its cache and AWS clients with every other public instance. */
  public PazPazSecretsDriver() {
    this(DriverRuntime::shared, System::getProperty, SettingsCache.PROCESS_ENVIRONMENT);
  }

  /** For tests: their own runtime and environment. */
  PazPazSecretsDriver(
      Supplier<DriverRuntime> runtime,
      Function<String, String> systemProperties,
      Function<String, String> environmentVariables) {
    this.runtime = runtime.get();
    this.systemProperties = systemProperties;
    this.environmentVariables = environmentVariables;
    this.settingsCache = new SettingsCache(systemProperties, environmentVariables);
  }

  DriverRuntime runtime() {
    return runtime;
  }

  /** The instance registered with DriverManager. */
  static PazPazSecretsDriver registered() {
    return REGISTERED;
  }

  @Override
  public @Nullable Connection connect(String url, Properties info) throws SQLException {
    return open(url, info);
  }

  /**
   * What {@link #connect} does, under a name that is not a {@code Driver.connect*} method: the data
   * source calls it so that the OpenTelemetry Java agent, which tags each connection with the URL
   * of the last {@code Driver.connect*} call to return, keeps pgjdbc's URL (PostgreSQL, its host,
   * port and database) instead of ours.
   */
  @Nullable Connection open(String url, Properties info) throws SQLException {
    if (!acceptsURL(url)) {
      return null;
    }
    ConnectionSettings settings = settings(url, info);
    try {
      runtime.beforeConnect();
      Connection connection = runtime.connector().connect(settings);
      runtime.afterConnect();
      return connection;
    } catch (RuntimeException e) {
      throw new SQLException(
          "Unexpected failure while connecting with secret '"
              + settings.secretId()
              + "': "
              + e.getClass().getName(),
          SqlStates.CONNECTION_UNABLE_TO_CONNECT,
          e);
    } finally {
      runtime.connectEnded();
    }
  }

  ConnectionSettings settings(String url, Properties info) throws SQLException {
    return settingsCache.resolve(url, info);
  }

  @Override
  public boolean acceptsURL(String url) {
    return JdbcUrl.accepts(url);
  }

  @Override
  public DriverPropertyInfo[] getPropertyInfo(String url, Properties info) throws SQLException {
    ConnectionSettings.KeyLookup keys =
        ConnectionSettings.lookup(url, info, systemProperties, environmentVariables);
    return Arrays.stream(ConfigKey.values())
        .map(key -> propertyInfo(key, keys.resolved(key)))
        .toArray(DriverPropertyInfo[]::new);
  }

  private static DriverPropertyInfo propertyInfo(ConfigKey key, @Nullable String value) {
    DriverPropertyInfo info =
        new DriverPropertyInfo(key.key(), key.isSecret() && value != null ? "****" : value);
    info.description =
        key.description() + (key.envVar() == null ? "" : " (env " + key.envVar() + ")");
    info.required = false;
    if (key == ConfigKey.ENVIRONMENT) {
      info.choices =
          Arrays.stream(DeploymentEnvironment.values())
              .map(DeploymentEnvironment::displayName)
              .toArray(String[]::new);
    } else if (key == ConfigKey.SSLMODE) {
      info.choices =
          new String[] {"disable", "allow", "prefer", "require", "verify-ca", "verify-full"};
    }
    return info;
  }

  @Override
  public int getMajorVersion() {
    return MAJOR_VERSION;
  }

  @Override
  public int getMinorVersion() {
    return MINOR_VERSION;
  }

  /** Not a full JDBC implementation by itself: the connections are pgjdbc's. */
  @Override
  public boolean jdbcCompliant() {
    return false;
  }

  @Override
  public Logger getParentLogger() {
    return Logger.getLogger(Logging.LOGGER_NAME);
  }
}
