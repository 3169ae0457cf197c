package com.pazpaz.secrets.jdbc.rotation;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** Which role a rotation gives the new password to, as AWS's two PostgreSQL rotation functions. */
public enum RotationStrategy {
  /** One role; it changes its own password. */
  SINGLE("single"),
  /**
   * Two roles, {@code X} and {@code X_clone}, take turns: the new version names the other one, and
   * a master login changes its password, so the current role keeps working all along.
   */
  ALTERNATING("alternating");

  public static final String CLONE_SUFFIX = "_clone";

  /** PostgreSQL truncates longer names (NAMEDATALEN - 1 bytes). */
  private static final int MAX_ROLE_NAME_BYTES = 63;

  private final String displayName;

  RotationStrategy(String displayName) {
    this.displayName = displayName;
  }

  public String displayName() {
    return displayName;
  }

  public static Optional<RotationStrategy> parse(String value) {
    String wanted = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
    return Arrays.stream(values()).filter(s -> s.displayName.equals(wanted)).findFirst();
  }

  /**
   * The user of the next version: the same one, or for alternating users the other of {@code X} and
   * {@code X_clone}.
   *
   * @throws IllegalArgumentException when the clone's name would be longer than PostgreSQL allows
   */
  public String pendingUsername(String currentUsername) {
    if (this == SINGLE) {
      return currentUsername;
    }
    if (currentUsername.endsWith(CLONE_SUFFIX)) {
      return currentUsername.substring(0, currentUsername.length() - CLONE_SUFFIX.length());
    }
    String clone = currentUsername + CLONE_SUFFIX;
    if (clone.getBytes(StandardCharsets.UTF_8).length > MAX_ROLE_NAME_BYTES) {
      throw new IllegalArgumentException(
          "the user "
              + currentUsername
              + " cannot alternate: "
              + clone
              + " would be longer than PostgreSQL's 63-byte limit for role names");
    }
    return clone;
  }
}
