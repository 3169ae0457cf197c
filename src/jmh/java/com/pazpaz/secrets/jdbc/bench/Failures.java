package com.pazpaz.secrets.jdbc.bench;

import java.sql.SQLException;

/** One-line descriptions of failures for the report, and a check for leaked secrets. */
final class Failures {

  private static final int MAX_MESSAGE = 240;

  private Failures() {}

  /** The first SQLState in the cause chain, or "-". */
  static String sqlState(Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof SQLException sql && sql.getSQLState() != null) {
        return sql.getSQLState();
      }
    }
    return "-";
  }

  /** Class, SQLState and message, on one line. */
  static String describe(Throwable failure) {
    String message = String.valueOf(failure.getMessage()).replaceAll("\\s+", " ");
    if (message.length() > MAX_MESSAGE) {
      message = message.substring(0, MAX_MESSAGE) + "...";
    }
    return failure.getClass().getName() + " [" + sqlState(failure) + "] " + message;
  }

  /** Whether the text appears in the failure, its causes or suppressed failures. */
  static boolean mentions(Throwable failure, String text) {
    if (failure == null) {
      return false;
    }
    if (String.valueOf(failure.getMessage()).contains(text) || failure.toString().contains(text)) {
      return true;
    }
    for (Throwable suppressed : failure.getSuppressed()) {
      if (mentions(suppressed, text)) {
        return true;
      }
    }
    return mentions(failure.getCause(), text);
  }
}
