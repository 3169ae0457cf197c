package com.pazpaz.secrets.jdbc.rotation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pazpaz.secrets.jdbc.cli.ToolRunner;
import com.pazpaz.secrets.jdbc.internal.DatabaseSecret;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@code generate-password} and the generator that rotate uses. */
class PasswordGeneratorTest {

  private final PasswordGenerator generator = new PasswordGenerator();

  @Test
  void defaultPasswordHas64CharactersOfEveryKindFromTheAlphabetOnly() {
    for (int i = 0; i < 200; i++) {
      String password = generator.generate();
      assertEquals(64, password.length());
      assertAlphabet(password);
    }
  }

  @Test
  void everyLengthFromTheMinimumHoldsEveryKindAndStartsWithALetterOrDigit() {
    for (int length = DatabaseSecret.MINIMUM_PASSWORD_LENGTH; length <= 100; length++) {
      String password = generator.generate(length);
      assertEquals(length, password.length());
      assertAlphabet(password);
      assertTrue(Character.isLetterOrDigit(password.charAt(0)), password.substring(0, 1));
    }
  }

  @Test
  void passwordsNeedNoQuotingInUrlsJsonOrShells() {
    String password = generator.generate(PasswordGenerator.MAXIMUM_LENGTH);
    assertEquals(password, URLEncoder.encode(password, StandardCharsets.UTF_8), "URL encoding");
    assertTrue(password.matches("[A-Za-z0-9][A-Za-z0-9._-]*"), "shell or JSON metacharacter");
  }

  @Test
  void passwordsDoNotRepeat() {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 1_000; i++) {
      assertTrue(seen.add(generator.generate(DatabaseSecret.MINIMUM_PASSWORD_LENGTH)));
    }
  }

  @Test
  void lengthsOutsideTheBoundsAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> generator.generate(31));
    assertThrows(IllegalArgumentException.class, () -> generator.generate(1025));
  }

  @Test
  void commandPrintsOnePasswordOfTheDefaultLength() {
    ToolRunner.Result result = ToolRunner.run("generate-password");
    assertEquals(0, result.exitCode(), result.err());
    String printed = result.out().strip();
    assertEquals(64, printed.length());
    assertAlphabet(printed);
    assertEquals(printed + System.lineSeparator(), result.out(), "nothing but the password");
    assertEquals("", result.err());
  }

  @Test
  void commandTakesALength() {
    ToolRunner.Result result = ToolRunner.run("generate-password", "--length", "40");
    assertEquals(0, result.exitCode(), result.err());
    assertEquals(40, result.out().strip().length());
    assertEquals(100, ToolRunner.run("generate-password", "--length=100").out().strip().length());
  }

  @Test
  void commandRefusesBadLengthsWithUsageErrors() {
    for (String[] args :
        new String[][] {
          {"generate-password", "--length", "12"},
          {"generate-password", "--length", "many"},
          {"generate-password", "--length"},
          {"generate-password", "extra"},
          {"generate-password", "--size", "40"},
        }) {
      ToolRunner.Result result = ToolRunner.run(args);
      assertEquals(2, result.exitCode(), String.join(" ", args));
      assertEquals("", result.out());
      assertTrue(result.err().contains("generate-password --help"), result.err());
    }
  }

  private static void assertAlphabet(String password) {
    for (char c : password.toCharArray()) {
      assertTrue(PasswordGenerator.ALPHABET.indexOf(c) >= 0, "unexpected character " + c);
    }
    for (String kind :
        new String[] {
          PasswordGenerator.LOWER,
          PasswordGenerator.UPPER,
          PasswordGenerator.DIGITS,
          PasswordGenerator.SYMBOLS
        }) {
      assertTrue(password.chars().anyMatch(c -> kind.indexOf(c) >= 0), "none of " + kind);
    }
  }
}
