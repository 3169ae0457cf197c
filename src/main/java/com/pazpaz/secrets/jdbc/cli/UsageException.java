package com.pazpaz.secrets.jdbc.cli;

/** The command line is wrong; the message says how. Exit code {@link ExitCodes#USAGE}. */
public final class UsageException extends Exception {
  UsageException(String message) {
    super(message);
  }
}
