package com.pazpaz.secrets.jdbc;

/**
 * The driver's logger and its event format: a stable event name followed by {@code key=value}
 * pairs, so that log searches keep working across versions. Callers never pass a password.
 */
final class Logging {

  static final String LOGGER_NAME = "com.pazpaz.secrets.jdbc";
  static final System.Logger LOGGER = System.getLogger(LOGGER_NAME);

  private Logging() {}

  /** {@code event("x", "a", "1", "b", "2")} gives {@code "x a=1 b=2"}. */
  static String event(String name, String... keysAndValues) {
    StringBuilder line = new StringBuilder(name);
    for (int i = 0; i + 1 < keysAndValues.length; i += 2) {
      line.append(' ').append(keysAndValues[i]).append('=').append(keysAndValues[i + 1]);
    }
    return line.toString();
  }
}
