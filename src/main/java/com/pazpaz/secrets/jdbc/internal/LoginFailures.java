package com.pazpaz.secrets.jdbc.internal;

import java.sql.SQLException;
import java.util.List;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Tells a login that the database refused (wrong password, unknown role) from every other connect
 * failure. Only a refused login makes the driver read the secret again and retry.
 *
 * <p>Directly, PostgreSQL says so with SQLState 28P01 or 28000. Behind PgBouncer, which reports
 * every error of its own as 08P01 (protocol violation), only the message tells a rejected login
 * from a real protocol error, so 08P01 counts only with one of the messages PgBouncer sends for a
 * failed authentication.
 */
public final class LoginFailures {

  /**
   * What PgBouncer sends for a refused login: its SCRAM check against the verifier it holds (or
   * read through {@code auth_query}) failed; its plain or md5 check failed; {@code auth_query}
   * found no such role. Compared with the whole message.
   */
  private static final List<String> PGBOUNCER_REJECTIONS =
      List.of("SASL authentication failed", "password authentication failed", "no such user");

  /**
   * PostgreSQL's own rejection of the server login PgBouncer made with the client's credentials,
   * which PgBouncer passes on as 08P01 with PostgreSQL's text, e.g. {@code password authentication
   * failed for user "app"}.
   */
  private static final String FORWARDED_REJECTION = "password authentication failed for user ";

  // pgjdbc puts the severity in front of the server's text: "FATAL: SASL authentication failed".
  private static final Pattern SEVERITY = Pattern.compile("^\\p{Lu}+: ");

  private LoginFailures() {}

  /**
   * Whether the database refused the login: SQLState 28P01 or 28000, or PgBouncer's 08P01 with an
   * authentication-failure message, anywhere in the cause chain.
   */
  public static boolean isLoginFailure(Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof SQLException sql
          && (refusedByPostgres(sql) || refusedByPgBouncer(sql))) {
        return true;
      }
    }
    return false;
  }

  private static boolean refusedByPostgres(SQLException e) {
    return SqlStates.INVALID_PASSWORD.equals(e.getSQLState())
        || SqlStates.INVALID_AUTHORIZATION_SPECIFICATION.equals(e.getSQLState());
  }

  private static boolean refusedByPgBouncer(SQLException e) {
    if (!SqlStates.PROTOCOL_VIOLATION.equals(e.getSQLState())) {
      return false;
    }
    String text = serverText(e.getMessage());
    return PGBOUNCER_REJECTIONS.contains(text) || text.startsWith(FORWARDED_REJECTION);
  }

  /** The server's message without pgjdbc's severity prefix and without detail lines. */
  private static String serverText(@Nullable String message) {
    if (message == null) {
      return "";
    }
    int lineEnd = message.indexOf('\n');
    String firstLine = lineEnd < 0 ? message : message.substring(0, lineEnd);
    return SEVERITY.matcher(firstLine).replaceFirst("").strip();
  }
}
