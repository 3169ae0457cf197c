package com.pazpaz.secrets.jdbc.cli;

/** The exit codes of the command line, for scripts; the README lists them. */
public final class ExitCodes {
  /** Everything checked or done worked. */
  static final int OK = 0;

  /** A check or a step failed; the output says which and what to do. */
  static final int FAILED = 1;

  /** The command line itself was wrong: unknown command or option, missing value. */
  static final int USAGE = 2;

  /** verify: the driver can connect, but something needs attention (old rotation, ...). */
  static final int WARNINGS = 3;

  private ExitCodes() {}
}
