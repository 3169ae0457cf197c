package com.pazpaz.secrets.jdbc.rotation;

import com.pazpaz.secrets.jdbc.internal.DatabaseSecret;
import com.pazpaz.secrets.jdbc.internal.SqlStates;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Ends the open sessions of one role after its password changed, so that sessions opened with a
 * leaked password die with it. Logs in as that role with its new password: PostgreSQL lets a role
 * terminate its own backends ({@code pg_terminate_backend} needs membership in the backend's role,
 * or {@code pg_signal_backend}), so no master login is needed. Only client sessions of that exact
 * role that started before this login are ended; its own session and every other role's are left
 * alone.
 */
public final class SessionTerminator {

  /** How long pg_terminate_backend waits for each session to be gone. */
  private static final long WAIT_MILLIS = 5_000;

  private static final String END_OLDER_SESSIONS =
      """
      SELECT count(*) FILTER (WHERE ended), count(*)
        FROM (SELECT pg_terminate_backend(pid, ?) AS ended
                FROM pg_stat_activity
               WHERE usename = ?
                 AND backend_type = 'client backend'
                 AND pid <> pg_backend_pid()
                 AND backend_start < (SELECT backend_start FROM pg_stat_activity
                                       WHERE pid = pg_backend_pid())) AS terminated
      """;

  private final DatabaseLogins logins;

  public SessionTerminator(DatabaseLogins logins) {
    this.logins = logins;
  }

  /**
   * What was ended.
   *
   * @param ended sessions that are gone
   * @param notEnded sessions found that did not end within the wait (they may have closed by
   *     themselves meanwhile)
   */
  public record EndedSessions(String role, long ended, long notEnded) {}

  /**
   * Ends every session of {@code credentials.username()} that started before this call.
   *
   * @param credentials the role's current credentials (after a rotation: the new ones)
   */
  public EndedSessions endSessionsOpenedBefore(DatabaseSecret credentials) throws SQLException {
    String role = credentials.username();
    try (Connection connection = loginAs(credentials);
        PreparedStatement statement = connection.prepareStatement(END_OLDER_SESSIONS)) {
      statement.setLong(1, WAIT_MILLIS);
      statement.setString(2, role);
      try (ResultSet rows = statement.executeQuery()) {
        rows.next();
        long ended = rows.getLong(1);
        return new EndedSessions(role, ended, rows.getLong(2) - ended);
      }
    }
  }

  private Connection loginAs(DatabaseSecret credentials) throws SQLException {
    Connection connection = logins.loginOrNull(credentials);
    if (connection == null) {
      throw new SQLException(
          "PostgreSQL rejects the current password of user "
              + credentials.username()
              + ", so its sessions cannot be ended with its own login. Run verify to see what the"
              + " secret and the database disagree on.",
          SqlStates.INVALID_PASSWORD);
    }
    return connection;
  }
}
