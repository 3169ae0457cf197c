package com.pazpaz.secrets.jdbc.internal;

import java.sql.SQLException;
import java.util.Map;
import java.util.Properties;
import org.jspecify.annotations.Nullable;

/**
 * pgjdbc's URL and Properties for logins with one set of credentials and settings. {@link
 * Connector} keeps the plan of each secret location's cached version and reuses it while the
 * settings and the credentials are the very same objects (both are cached), so a warm connect does
 * not rebuild the URL, the Properties and the TLS settings, nor check the CA file again. pgjdbc
 * copies the Properties it is given, so one instance serves concurrent logins; nothing writes to it
 * after {@link #of}.
 *
 * <p>Not a record: a record's {@code toString} would print the password.
 */
public final class LoginPlan {

  private final ConnectionSettings settings;
  private final DatabaseSecret credentials;
  private final String url;
  private final Properties properties;

  private LoginPlan(
      ConnectionSettings settings, DatabaseSecret credentials, String url, Properties properties) {
    this.settings = settings;
    this.credentials = credentials;
    this.url = url;
    this.properties = properties;
  }

  /**
   * Builds the plan, checking what a login needs: the endpoint, the TLS policy, the CA file.
   *
   * @param secretId names the secret in errors, or null for DATABASE_URL
   */
  static LoginPlan of(
      ConnectionSettings settings,
      DatabaseSecret credentials,
      Map<String, String> sourceParameters,
      @Nullable String secretId)
      throws SQLException {
    Endpoint endpoint = Connector.endpoint(settings, credentials, secretId);
    return new LoginPlan(
        settings,
        credentials,
        Connector.pgjdbcUrl(endpoint),
        Connector.pgjdbcProperties(settings, credentials, sourceParameters));
  }

  /**
   * Whether this plan was made from exactly these objects: identity, because both come from caches
   * that hand out the same instance while nothing changed, and it costs no field-by-field compare.
   */
  @SuppressWarnings("ReferenceEquality")
  boolean isFor(ConnectionSettings settings, DatabaseSecret credentials) {
    return this.settings == settings && this.credentials == credentials;
  }

  public String url() {
    return url;
  }

  /** Shared: read it, never change it. */
  public Properties properties() {
    return properties;
  }

  @Override
  public String toString() {
    return "LoginPlan[url=" + url + ", user=" + credentials.username() + "]";
  }
}
