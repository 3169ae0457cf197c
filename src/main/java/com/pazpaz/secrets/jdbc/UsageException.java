package com.pazpaz.secrets.jdbc;

/** The command line is wrong; the message says how. Exit code {@link ExitCodes#USAGE}. */
final class UsageException extends Exception {
  UsageException(String message) {
    super(message);
  }
}
