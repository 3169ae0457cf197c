package com.pazpaz.secrets.jdbc.internal;

import org.jspecify.annotations.Nullable;

/**
 * The driver's logger and its event format: a stable event name followed by {@code key=value}
 * pairs, so that log searches keep working across versions. Callers never pass a password.
 */
public final class Logging {

  public static final String LOGGER_NAME = "com.pazpaz.secrets.jdbc";
  public static final System.Logger LOGGER = System.getLogger(LOGGER_NAME);

  private Logging() {}

  /**
   * {@code event("x", "a", "1", "b", "2")} gives {@code "x a=1 b=2"}; a key whose value is null is
   * left out, so one call serves events with optional fields.
   */
  public static String event(String name, @Nullable String... keysAndValues) {
    StringBuilder line = new StringBuilder(name);
    for (int i = 0; i + 1 < keysAndValues.length; i += 2) {
      if (keysAndValues[i + 1] != null) {
        line.append(' ').append(keysAndValues[i]).append('=').append(keysAndValues[i + 1]);
      }
    }
    return line.toString();
  }
}
