package com.pazpaz.secrets.jdbc.rotation;

import static com.pazpaz.secrets.jdbc.internal.DatabaseSecret.MINIMUM_PASSWORD_LENGTH;

import java.security.SecureRandom;

/**
 * Database passwords from {@link SecureRandom}: letters, digits and {@code - _ .}, characters that
 * need no quoting or escaping in a URL, a shell, JSON or a libpq connection string. The first
 * character is a letter or a digit, so that no tool takes the password for an option; every
 * password has a lower-case and an upper-case letter, a digit and a symbol, for password policies
 * that ask for them.
 */
public final class PasswordGenerator {

  /** The length {@code rotate} and the rotation function use: about 380 bits. */
  public static final int DEFAULT_LENGTH = 64;

  /** Longer than anyone needs; a bound keeps a typo from filling the terminal. */
  public static final int MAXIMUM_LENGTH = 1024;

  public static final String LOWER = "abcdefghijklmnopqrstuvwxyz";
  public static final String UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
  public static final String DIGITS = "0123456789";
  public static final String SYMBOLS = "-_.";
  public static final String ALPHABET = LOWER + UPPER + DIGITS + SYMBOLS;

  private static final String FIRST = LOWER + UPPER + DIGITS;

  private final SecureRandom random;

  public PasswordGenerator() {
    this(new SecureRandom());
  }

  public PasswordGenerator(SecureRandom random) {
    this.random = random;
  }

  /**
   * A new password of {@code length} characters.
   *
   * @throws IllegalArgumentException when the length is outside the driver's minimum ({@link
   *     com.pazpaz.secrets.jdbc.internal.DatabaseSecret#MINIMUM_PASSWORD_LENGTH})..{@link
   *     #MAXIMUM_LENGTH}
   */
  public String generate(int length) {
    if (length < MINIMUM_PASSWORD_LENGTH || length > MAXIMUM_LENGTH) {
      throw new IllegalArgumentException(
          "the length must be between %d and %d"
              .formatted(MINIMUM_PASSWORD_LENGTH, MAXIMUM_LENGTH));
    }
    // Drawing again until every kind is present keeps each accepted password equally likely; at
    // 32 characters or more a redraw is rare.
    while (true) {
      char[] password = new char[length];
      password[0] = pick(FIRST);
      for (int i = 1; i < length; i++) {
        password[i] = pick(ALPHABET);
      }
      String candidate = new String(password);
      if (containsAny(candidate, LOWER)
          && containsAny(candidate, UPPER)
          && containsAny(candidate, DIGITS)
          && containsAny(candidate, SYMBOLS)) {
        return candidate;
      }
    }
  }

  public String generate() {
    return generate(DEFAULT_LENGTH);
  }

  private char pick(String characters) {
    return characters.charAt(random.nextInt(characters.length()));
  }

  private static boolean containsAny(String password, String kind) {
    for (int i = 0; i < password.length(); i++) {
      if (kind.indexOf(password.charAt(i)) >= 0) {
        return true;
      }
    }
    return false;
  }
}
