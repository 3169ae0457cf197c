package com.pazpaz.secrets.jdbc.internal;

import org.jspecify.annotations.Nullable;

/**
 * Database credentials and, when the source names them, where the database is. {@link #toString()}
 * never shows the password.
 *
 * @param host null when the source does not name it (the URL must)
 * @param port null when the source does not name it (the URL must)
 * @param database null when the source does not name it (the URL must)
 * @param sslCertPath CA file named by the secret, or null
 */
public record DatabaseSecret(
    String username,
    String password,
    @Nullable String host,
    @Nullable Integer port,
    @Nullable String database,
    @Nullable String sslCertPath) {

  /**
   * Passwords shorter than this are logged as a warning in staging and production, and no rotation
   * makes one.
   */
  public static final int MINIMUM_PASSWORD_LENGTH = 32;

  /** Whether the password is under {@link #MINIMUM_PASSWORD_LENGTH}. */
  public boolean hasShortPassword() {
    return password.length() < MINIMUM_PASSWORD_LENGTH;
  }

  /** Whether both would log in the same way. */
  public boolean sameLogin(DatabaseSecret other) {
    return username.equals(other.username) && password.equals(other.password);
  }

  @Override
  public String toString() {
    return "DatabaseSecret[username="
        + username
        + ", password=****, host="
        + host
        + ", port="
        + port
        + ", database="
        + database
        + ", sslCertPath="
        + sslCertPath
        + "]";
  }
}
