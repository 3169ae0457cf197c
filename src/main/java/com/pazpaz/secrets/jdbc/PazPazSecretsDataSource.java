package com.pazpaz.secrets.jdbc;

import com.pazpaz.secrets.jdbc.internal.JdbcUrl;
import com.pazpaz.secrets.jdbc.internal.SqlStates;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Properties;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * A {@link DataSource} over {@link PazPazSecretsDriver}, for pools configured with {@code
 * dataSourceClassName}. Each configuration key has a bean setter; {@link #setProperty} passes any
 * other key to pgjdbc. The URL defaults to {@code jdbc:pazpaz-secrets:}, so the secret id may come
 * from {@link #setSecretId} alone. A {@code user}/{@code password} handed in by a pool is not used
 * to log in: the secret's are (in the {@code //HOST} URL form the user names the secret).
 */
public class PazPazSecretsDataSource implements DataSource {

  private final PazPazSecretsDriver driver;
  private final Properties properties = new Properties();
  private volatile String url = JdbcUrl.PREFIX;
  private volatile int loginTimeoutSeconds;
  private volatile @Nullable PrintWriter logWriter;

  public PazPazSecretsDataSource() {
    this(PazPazSecretsDriver.registered());
  }

  /** For tests: a data source over a driver with its own runtime and environment. */
  PazPazSecretsDataSource(PazPazSecretsDriver driver) {
    this.driver = driver;
  }

  @Override
  public Connection getConnection() throws SQLException {
    return open(snapshot());
  }

  /** The user names the secret in the {@code //HOST} URL form; the password is never used. */
  @Override
  public Connection getConnection(String user, String password) throws SQLException {
    Properties info = snapshot();
    if (user != null) {
      info.setProperty("user", user);
    }
    return open(info);
  }

  private Connection open(Properties info) throws SQLException {
    Connection connection = driver.open(url, info);
    if (connection == null) {
      throw new SQLException(
          "The data source's URL must start with "
              + PazPazSecretsDriver.URL_PREFIX
              + " (setUrl), or leave it unset and set secretId.",
          SqlStates.CONNECTION_UNABLE_TO_CONNECT);
    }
    return connection;
  }

  private Properties snapshot() {
    Properties copy = new Properties();
    synchronized (properties) {
      properties.stringPropertyNames().forEach(n -> copy.setProperty(n, properties.getProperty(n)));
    }
    if (loginTimeoutSeconds > 0 && copy.getProperty("loginTimeout") == null) {
      copy.setProperty("loginTimeout", String.valueOf(loginTimeoutSeconds));
    }
    return copy;
  }

  /** Sets any key: one of the driver's or a pgjdbc property such as ApplicationName. */
  public void setProperty(String name, String value) {
    synchronized (properties) {
      if (value == null) {
        properties.remove(name);
      } else {
        properties.setProperty(name, value);
      }
    }
  }

  public String getProperty(String name) {
    synchronized (properties) {
      return properties.getProperty(name);
    }
  }

  public String getUrl() {
    return url;
  }

  /** A {@code jdbc:pazpaz-secrets:} URL; checked here so that a pool fails at start-up. */
  public void setUrl(String url) throws SQLException {
    JdbcUrl.parse(url);
    this.url = url;
  }

  public String getSecretId() {
    return getProperty(ConfigKey.SECRET_ID.key());
  }

  public void setSecretId(String secretId) {
    setProperty(ConfigKey.SECRET_ID.key(), secretId);
  }

  public String getRegion() {
    return getProperty(ConfigKey.REGION.key());
  }

  public void setRegion(String region) {
    setProperty(ConfigKey.REGION.key(), region);
  }

  public String getEndpoint() {
    return getProperty(ConfigKey.ENDPOINT.key());
  }

  public void setEndpoint(String endpoint) {
    setProperty(ConfigKey.ENDPOINT.key(), endpoint);
  }

  public String getFallbackRegions() {
    return getProperty(ConfigKey.FALLBACK_REGIONS.key());
  }

  /** Regions with replicas of the secret, e.g. {@code us-west-2,eu-west-1}. */
  public void setFallbackRegions(String fallbackRegions) {
    setProperty(ConfigKey.FALLBACK_REGIONS.key(), fallbackRegions);
  }

  public String getFallbackEndpoints() {
    return getProperty(ConfigKey.FALLBACK_ENDPOINTS.key());
  }

  /** Endpoint overrides of fallback regions, e.g. {@code us-west-2=https://vpce-...}. */
  public void setFallbackEndpoints(String fallbackEndpoints) {
    setProperty(ConfigKey.FALLBACK_ENDPOINTS.key(), fallbackEndpoints);
  }

  public String getAwsProfile() {
    return getProperty(ConfigKey.AWS_PROFILE.key());
  }

  public void setAwsProfile(String awsProfile) {
    setProperty(ConfigKey.AWS_PROFILE.key(), awsProfile);
  }

  public String getVersionStage() {
    return getProperty(ConfigKey.VERSION_STAGE.key());
  }

  public void setVersionStage(String versionStage) {
    setProperty(ConfigKey.VERSION_STAGE.key(), versionStage);
  }

  public String getEnvironment() {
    return getProperty(ConfigKey.ENVIRONMENT.key());
  }

  public void setEnvironment(String environment) {
    setProperty(ConfigKey.ENVIRONMENT.key(), environment);
  }

  public String getFallbackToDatabaseUrl() {
    return getProperty(ConfigKey.FALLBACK_TO_DATABASE_URL.key());
  }

  public void setFallbackToDatabaseUrl(String fallback) {
    setProperty(ConfigKey.FALLBACK_TO_DATABASE_URL.key(), fallback);
  }

  public String getCacheTtl() {
    return getProperty(ConfigKey.CACHE_TTL.key());
  }

  public void setCacheTtl(String cacheTtl) {
    setProperty(ConfigKey.CACHE_TTL.key(), cacheTtl);
  }

  public String getSslmode() {
    return getProperty(ConfigKey.SSLMODE.key());
  }

  public void setSslmode(String sslmode) {
    setProperty(ConfigKey.SSLMODE.key(), sslmode);
  }

  public String getSslrootcert() {
    return getProperty(ConfigKey.SSLROOTCERT.key());
  }

  public void setSslrootcert(String sslrootcert) {
    setProperty(ConfigKey.SSLROOTCERT.key(), sslrootcert);
  }

  /** The value is a password-bearing URL: the getter never returns it. */
  public void setDatabaseUrl(String databaseUrl) {
    setProperty(ConfigKey.DATABASE_URL.key(), databaseUrl);
  }

  public String getAwsApiCallTimeout() {
    return getProperty(ConfigKey.AWS_API_CALL_TIMEOUT.key());
  }

  public void setAwsApiCallTimeout(String timeout) {
    setProperty(ConfigKey.AWS_API_CALL_TIMEOUT.key(), timeout);
  }

  /** pgjdbc's ApplicationName, shown in pg_stat_activity. */
  public void setApplicationName(String applicationName) {
    setProperty("ApplicationName", applicationName);
  }

  public String getApplicationName() {
    return getProperty("ApplicationName");
  }

  /** In the {@code //HOST} URL form, the secret id; otherwise ignored. */
  public void setUser(String user) {
    setProperty("user", user);
  }

  public String getUser() {
    return getProperty("user");
  }

  /** Accepted for pools that always set one, and ignored: the secret holds the password. */
  public void setPassword(String password) {
    // Deliberately not stored.
  }

  @Override
  public @Nullable PrintWriter getLogWriter() {
    return logWriter;
  }

  @Override
  public void setLogWriter(PrintWriter out) {
    this.logWriter = out;
  }

  @Override
  public void setLoginTimeout(int seconds) {
    this.loginTimeoutSeconds = seconds;
  }

  @Override
  public int getLoginTimeout() {
    return loginTimeoutSeconds;
  }

  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    return driver.getParentLogger();
  }

  @Override
  public <T> T unwrap(Class<T> type) throws SQLException {
    if (type.isInstance(this)) {
      return type.cast(this);
    }
    throw new SQLException("Not a wrapper for " + type.getName(), "HY000");
  }

  @Override
  public boolean isWrapperFor(Class<?> type) {
    return type.isInstance(this);
  }

  @Override
  public String toString() {
    // The URL's query may hold databaseUrl: show the part before it and only key names.
    int query = url.indexOf('?');
    return "PazPazSecretsDataSource[url="
        + (query < 0 ? url : url.substring(0, query) + "?...")
        + ", keys="
        + properties.stringPropertyNames()
        + "]";
  }
}
