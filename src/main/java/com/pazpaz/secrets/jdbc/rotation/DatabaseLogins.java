package com.pazpaz.secrets.jdbc.rotation;

import com.pazpaz.secrets.jdbc.internal.ConnectionSettings;
import com.pazpaz.secrets.jdbc.internal.Connector;
import com.pazpaz.secrets.jdbc.internal.DatabaseSecret;
import com.pazpaz.secrets.jdbc.internal.LoginFailures;
import java.sql.Connection;
import java.sql.SQLException;
import org.jspecify.annotations.Nullable;

/**
 * Logins of a rotation: each with exactly the credentials given, through the driver's own pgjdbc
 * settings (endpoint, TLS policy, pass-through keys), without its cache or retries.
 */
public final class DatabaseLogins {

  private final ConnectionSettings settings;

  public DatabaseLogins(ConnectionSettings settings) {
    this.settings = settings;
  }

  /** Where the logins go, when the URL names it; else each secret's host, port and database. */
  public ConnectionSettings settings() {
    return settings;
  }

  /**
   * One login with exactly these credentials, over the driver's TLS settings.
   *
   * @throws SQLException also when PostgreSQL rejects the credentials (SQLState 28P01 or 28000)
   */
  public Connection login(DatabaseSecret credentials) throws SQLException {
    return Connector.login(settings, credentials, settings.secretId());
  }

  /**
   * A connection, or null when PostgreSQL rejects the credentials; every other failure (network,
   * TLS) is thrown, since it says nothing about the password.
   */
  public @Nullable Connection loginOrNull(DatabaseSecret credentials) throws SQLException {
    try {
      return login(credentials);
    } catch (SQLException e) {
      if (LoginFailures.isLoginFailure(e)) {
        return null;
      }
      throw e;
    }
  }

  /** Whether PostgreSQL accepts the credentials now. */
  public boolean accepts(DatabaseSecret credentials) throws SQLException {
    try (Connection connection = loginOrNull(credentials)) {
      return connection != null;
    }
  }
}
