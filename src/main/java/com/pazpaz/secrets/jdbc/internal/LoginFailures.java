package com.pazpaz.secrets.jdbc.internal;

import java.sql.SQLException;

/**
 * Tells a login that the database refused (wrong password, unknown role) from every other connect
 * failure. Only a refused login makes the driver read the secret again and retry.
 */
public final class LoginFailures {

  private LoginFailures() {}

  /** Whether PostgreSQL refused the login: SQLState 28P01 or 28000 anywhere in the cause chain. */
  public static boolean isLoginFailure(Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof SQLException sql
          && (SqlStates.INVALID_PASSWORD.equals(sql.getSQLState())
              || SqlStates.INVALID_AUTHORIZATION_SPECIFICATION.equals(sql.getSQLState()))) {
        return true;
      }
    }
    return false;
  }
}
