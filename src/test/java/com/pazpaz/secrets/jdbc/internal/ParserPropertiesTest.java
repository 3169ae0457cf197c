package com.pazpaz.secrets.jdbc.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.List;
import java.util.Properties;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Thousands of generated and mutated inputs for the three parsers that see user text: each ends in
 * a value or in an SQLException with a SQLState, never another exception, and no message or
 * toString carries the password. Inputs come from a seeded Random, so a failure names the seed and
 * the input and can be replayed.
 *
 * <p>(jqwik would be the natural tool, but its maintainers ask that AI coding agents not use it;
 * this project is developed with one, so the generation is done here with plain JUnit.)
 */
class ParserPropertiesTest {

  private static final int TRIES = 5_000;
  private static final long SEED = Long.getLong("parser.seed", 20261129L);
  private static final String URL_CHARACTERS = "abcXYZ019/+=.@-_%?&:[]#! ~\\\"'{}";
  private static final String PASSWORD_CHARACTERS = "abcdefXYZ0123456789!@#$%^*()-_=+[]{}:;,.<>/?~";

  private final Random random = new Random(SEED);

  @Test
  void jdbcUrlsParseOrFailCleanly() {
    List<String> valid =
        List.of(
            "jdbc:pazpaz-secrets:",
            "jdbc:pazpaz-secrets:team/db?region=eu-west-1&cacheTtl=PT5M",
            "jdbc:pazpaz-secrets://db.internal:5432/clinic?secretId=x&ApplicationName=a%20b",
            "jdbc:pazpaz-secrets://[::1]:6432/app",
            "jdbc:pazpaz-secrets:arn:aws:secretsmanager:us-east-1:1:secret:db-AbCdEf");
    Properties info = new Properties();
    info.setProperty("user", "pool-user");
    for (int i = 0; i < TRIES; i++) {
      String url =
          switch (i % 3) {
            case 0 -> "jdbc:pazpaz-secrets:" + randomText(URL_CHARACTERS, 0, 40);
            case 1 -> mutate(pick(valid));
            default -> randomText(URL_CHARACTERS, 0, 40);
          };
      try {
        assertNotNull(ConnectionSettings.resolve(url, info, name -> null, name -> null).secretId());
      } catch (SQLException e) {
        assertEquals("08001", e.getSQLState(), replay(url));
      } catch (RuntimeException e) {
        throw new AssertionError(replay(url), e);
      }
    }
  }

  @Test
  void databaseUrlsParseOrFailWithoutShowingThePassword() {
    List<String> schemes =
        List.of(
            "postgresql://",
            "postgres://",
            "postgresql+asyncpg://",
            "jdbc:postgresql://",
            "mysql://",
            "");
    List<String> hosts = List.of("localhost", "db.internal:6543", "[::1]", "", "h:99999", "h:x");
    List<String> paths =
        List.of("/app", "", "/a%zz", "/db?sslmode=require", "/db?user=u&password=p");
    for (int i = 0; i < TRIES; i++) {
      String password = randomPassword();
      String shown =
          random.nextBoolean() ? URLEncoder.encode(password, StandardCharsets.UTF_8) : password;
      String url = mutate(pick(schemes) + "app:" + shown + "@" + pick(hosts) + pick(paths));
      try {
        DatabaseUrl parsed = DatabaseUrl.parse(url);
        // A mutation that drops the ':' makes the text a user name, which may be shown.
        if (parsed.credentials().password().equals(password)) {
          assertFalse(parsed.toString().contains(password), replay(url));
        }
      } catch (SQLException e) {
        assertEquals("08001", e.getSQLState(), replay(url));
        assertFalse(e.getMessage().contains(password), replay(url));
      } catch (RuntimeException e) {
        throw new AssertionError(replay(url), e);
      }
    }
  }

  @Test
  void secretsParseOrFailWithoutShowingThePassword() {
    List<String> ports =
        List.of("5432", "\"5432\"", "\"x\"", "true", "70000", "null", "5432.5", "[1]");
    for (int i = 0; i < TRIES; i++) {
      String password = randomPassword();
      String json =
          mutate(
              "{\"username\":\"app\",\"password\":\""
                  + password
                  + "\",\"host\":\"db\",\"port\":"
                  + pick(ports)
                  + ",\"database\":\"clinic\"}");
      try {
        String parsed = SecretParser.parse("team/db", json).toString();
        assertFalse(parsed.contains(password), replay(json));
      } catch (SQLException e) {
        assertEquals("08001", e.getSQLState(), replay(json));
        assertFalse(e.getMessage().contains(password), replay(json));
      } catch (RuntimeException e) {
        throw new AssertionError(replay(json), e);
      }
    }
  }

  @Test
  void passwordsOfAnyCharacterAndLengthArriveUnchanged() throws SQLException {
    // Quotes, backslash, the URL delimiters, controls, non-ASCII and a character outside the BMP.
    String alphabet = "aZ9\"'\\&=%@:/?#[]+ \t\u00e9\u00fc\u20ac\u4e2d\ud83d\ude00";
    for (int i = 0; i < TRIES / 5; i++) {
      int length = i % 50 == 0 ? 1_024 : 1 + random.nextInt(64);
      StringBuilder password = new StringBuilder();
      while (password.codePointCount(0, password.length()) < length) {
        int at = random.nextInt(alphabet.length());
        password.appendCodePoint(
            Character.isSurrogate(alphabet.charAt(at))
                ? alphabet.codePointAt(alphabet.length() - 2)
                : alphabet.charAt(at));
      }
      String text = password.toString();
      String json =
          "{\"username\":\"app\",\"password\":"
              + jsonString(text)
              + ",\"host\":\"db\",\"port\":5432,\"database\":\"c\"}";
      assertEquals(text, SecretParser.parse("team/db", json).password(), replay(json));
      String url =
          "postgresql://app:"
              + URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20")
              + "@db/c";
      assertEquals(text, DatabaseUrl.parse(url).credentials().password(), replay(url));
    }
  }

  private static String jsonString(String value) {
    software.amazon.awssdk.protocols.jsoncore.JsonWriter writer =
        software.amazon.awssdk.protocols.jsoncore.JsonWriter.create();
    writer.writeValue(value);
    return new String(writer.getBytes(), StandardCharsets.UTF_8);
  }

  /** The text as it is, or with a random slice deleted, or with random characters inserted. */
  private String mutate(String text) {
    int at = random.nextInt(text.length() + 1);
    return switch (random.nextInt(3)) {
      case 0 -> text;
      case 1 ->
          text.substring(0, at) + text.substring(Math.min(text.length(), at + random.nextInt(4)));
      default -> text.substring(0, at) + randomText(URL_CHARACTERS, 1, 4) + text.substring(at);
    };
  }

  /** Long and odd enough that finding one in a message is never a coincidence. */
  private String randomPassword() {
    return "Pw" + randomText(PASSWORD_CHARACTERS, 6, 24) + "Q7";
  }

  private String randomText(String alphabet, int minLength, int maxLength) {
    int length = minLength + random.nextInt(maxLength - minLength + 1);
    StringBuilder text = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      text.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return text.toString();
  }

  private <T> T pick(List<T> choices) {
    return choices.get(random.nextInt(choices.size()));
  }

  private static String replay(String input) {
    return "input " + input + " (replay with -Dparser.seed=" + SEED + ")";
  }
}
