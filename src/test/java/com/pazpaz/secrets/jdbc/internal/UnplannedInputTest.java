package com.pazpaz.secrets.jdbc.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.protocols.jsoncore.JsonWriter;

/**
 * Input nobody planned for, fed to the parsers: passwords with every character class, IPv6 and
 * trailing-dot hosts, odd database names, 64 KiB secrets, unusual JSON and URLs. Each ends in a
 * value or in an SQLException with SQLState 08001, never another exception, and no message or
 * toString shows the password.
 */
class UnplannedInputTest {

  /** Passwords from every character class, one of each length extreme. */
  static Stream<String> passwords() {
    Random random = new Random(20261202L);
    StringBuilder long1024 = new StringBuilder();
    String alphabet = "aZ9\"'\\&=%@:/?#[]{} +,;!$^*()~`|<>\t\u00e9\u00fc\u20ac\u4e2d\ud83d\ude00";
    while (long1024.length() < 1024) {
      long1024.appendCodePoint(alphabet.codePointAt(random.nextInt(alphabet.length() - 1)));
    }
    return Stream.of(
        "x",
        "pw\"double\"quote-Q7",
        "pw'single'quote-Q7",
        "pw\\back\\slash\\-Q7",
        "pw&amp&=equals=-Q7",
        "pw%25percent%zz%-Q7",
        "pw@at@host:colon:-Q7",
        "pw/slash?query#hash-Q7",
        "p\u00e4ssw\u00f6rd-\u20ac-\u4e2d\u6587-\ud83d\ude00-Q7",
        "pw with spaces and\ttab-Q7",
        "pw+plus+sign-Q7",
        long1024.substring(0, 1024));
  }

  @ParameterizedTest
  @MethodSource("passwords")
  void secretPasswordsOfEveryCharacterClassArriveUnchanged(String password) throws SQLException {
    DatabaseSecret secret = SecretParser.parse("team/db", secretJson(password, "db", "5432"));
    assertEquals(password, secret.password());
    assertHidden(password, secret.toString());
  }

  @ParameterizedTest
  @MethodSource("passwords")
  void databaseUrlPasswordsOfEveryCharacterClassArriveUnchangedWhenEncoded(String password)
      throws SQLException {
    String encoded = URLEncoder.encode(password, StandardCharsets.UTF_8).replace("+", "%20");
    DatabaseUrl parsed = DatabaseUrl.parse("postgresql://app:" + encoded + "@db:5432/clinic");
    assertEquals(password, parsed.credentials().password());
    assertHidden(password, parsed.toString());
  }

  @ParameterizedTest
  @MethodSource("passwords")
  void databaseUrlPasswordsLeftUnencodedParseOrFailWithoutShowingThem(String password) {
    String url = "postgresql://app:" + password + "@db:5432/clinic?sslmode=require";
    try {
      assertHidden(password, DatabaseUrl.parse(url).toString());
    } catch (SQLException e) {
      assertEquals("08001", e.getSQLState());
      assertHidden(password, e.getMessage());
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "::1",
        "2001:db8::1",
        "2001:0db8:0000:0000:0000:ff00:0042:8329",
        "::ffff:10.0.0.1"
      })
  void ipv6HostsParseInEveryForm(String host) throws Exception {
    // In Java's full form, as Java shows a certificate's IP addresses to pgjdbc's host name check.
    String full = InetAddress.getByName(host).getHostAddress();
    assertEquals(
        new Endpoint(full, 6432, "clinic"),
        JdbcUrl.parse("jdbc:pazpaz-secrets://[" + host + "]:6432/clinic?secretId=db").endpoint());
    DatabaseSecret fromDatabaseUrl =
        DatabaseUrl.parse("postgresql://app:pw@[" + host + "]/clinic").credentials();
    assertEquals(full, fromDatabaseUrl.host());
    assertEquals(5432, fromDatabaseUrl.port());
    assertEquals(full, SecretParser.parse("db", secretJsonWithHost(host)).host());
    assertEquals(full, SecretParser.parse("db", secretJsonWithHost("[" + host + "]")).host());
  }

  @ParameterizedTest
  @ValueSource(strings = {"localhost.", "db.internal.", "db.eu-west-1.rds.amazonaws.com."})
  void hostNamesWithATrailingDotKeepTheirName(String host) throws SQLException {
    String bare = host.substring(0, host.length() - 1);
    assertEquals(
        bare, JdbcUrl.parse("jdbc:pazpaz-secrets://" + host + ":5432/clinic").endpoint().host());
    assertEquals(
        bare,
        DatabaseUrl.parse("postgresql://app:pw@" + host + ":5432/clinic").credentials().host());
    assertEquals(bare, SecretParser.parse("db", secretJsonWithHost(host)).host());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "clinic records",
        "kl\u00ednika \u00fc\u20ac",
        "\u8a3a\u7642\u6240",
        "a+b",
        "100%"
      })
  void databaseNamesWithSpacesAndNonAsciiArriveUnchanged(String database) throws SQLException {
    String encoded = URLEncoder.encode(database, StandardCharsets.UTF_8).replace("+", "%20");
    assertEquals(
        database, JdbcUrl.parse("jdbc:pazpaz-secrets://db:5432/" + encoded).endpoint().database());
    assertEquals(
        database,
        DatabaseUrl.parse("postgresql://app:pw@db:5432/" + encoded).credentials().database());
  }

  @Test
  void aSecretOfSixtyFourKibibytesParses() throws SQLException {
    String password = "pw-64k-\u00e9-Q7";
    String json = sixtyFourKibibyteSecret(secretJson(password, "db", "5432"));
    assertEquals(65_536, json.getBytes(StandardCharsets.UTF_8).length);
    assertEquals(password, SecretParser.parse("team/db", json).password());
  }

  /** The secret padded with a "notes" key to the Secrets Manager maximum of 65,536 bytes. */
  static String sixtyFourKibibyteSecret(String json) {
    String open = json.substring(0, json.length() - 1) + ",\"notes\":\"";
    int padding = 65_536 - open.getBytes(StandardCharsets.UTF_8).length - 2;
    return open + "n".repeat(padding) + "\"}";
  }

  @Test
  void duplicateKeysTakeTheLastValueAsAwsRotationFunctionsDo() throws SQLException {
    // AWS's rotation functions read secrets with Python's json.loads, where the last one wins.
    String json =
        "{\"username\":\"first\",\"password\":\"pw-first-Q7\",\"username\":\"app\","
            + "\"password\":\"pw-last-Q7\",\"host\":\"db\",\"port\":1,\"port\":5432,"
            + "\"database\":\"clinic\"}";
    DatabaseSecret secret = SecretParser.parse("team/db", json);
    assertEquals("app", secret.username());
    assertEquals("pw-last-Q7", secret.password());
    assertEquals(5432, secret.port());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"username\":{\"name\":\"app\"},\"password\":\"pw-nested-Q7\",\"host\":\"db\",\"port\":5432,\"database\":\"c\"}",
        "{\"credentials\":{\"username\":\"app\",\"password\":\"pw-nested-Q7\"},\"host\":\"db\"}",
        "{\"username\":\"app\",\"password\":[\"pw-nested-Q7\"],\"host\":\"db\",\"port\":5432,\"database\":\"c\"}",
        "{\"username\":\"app\",\"password\":\"pw-nested-Q7\",\"host\":{\"name\":\"db\"},\"port\":5432,\"database\":\"c\"}",
        "{\"username\":\"app\",\"password\":\"pw-nested-Q7\",\"host\":\"db\",\"port\":{\"n\":5432},\"database\":\"c\"}",
        "{\"username\":\"app\",\"password\":12345678901234567890,\"host\":\"db\",\"port\":5432,\"database\":\"c\"}",
        "{\"username\":\"app\",\"password\":\"pw-nested-Q7\",\"host\":\"db\",\"port\":\"5432.0\",\"database\":\"c\"}",
        "{\"username\":\"app\",\"password\":\"pw-nested-Q7\",\"host\":\"db\",\"port\":\" 5432 \",\"database\":\"c\"}",
        "{\"username\":\"app\",\"password\":\"pw-nested-Q7\",\"host\":\"db\",\"port\":5.432e3,\"database\":\"c\"}",
        "{\"username\":\"app\",\"password\":\"pw-nested-Q7\",\"host\":\"db\",\"port\":\"0x1538\",\"database\":\"c\"}",
        "[{\"username\":\"app\",\"password\":\"pw-nested-Q7\"}]",
        "\"{\\\"username\\\":\\\"app\\\",\\\"password\\\":\\\"pw-nested-Q7\\\"}\""
      })
  void nestedObjectsAndNumbersWhereStringsBelongFailByKey(String json) {
    try {
      DatabaseSecret secret = SecretParser.parse("team/db", json);
      assertHidden("pw-nested-Q7", secret.toString());
    } catch (SQLException e) {
      assertEquals("08001", e.getSQLState());
      assertTrue(e.getMessage().startsWith("Secret 'team/db' cannot be used: "), e.getMessage());
      assertHidden("pw-nested-Q7", e.getMessage());
      assertHidden("12345678901234567890", e.getMessage());
    }
  }

  @Test
  void numbersAsStringsAreReadWhereTheKeyIsAPort() throws SQLException {
    assertEquals(5432, SecretParser.parse("db", secretJson("pw-port-Q7", "db", "\"5432\"")).port());
    assertEquals(5432, SecretParser.parse("db", secretJson("pw-port-Q7", "db", "5432")).port());
  }

  @Test
  void everyKeyRepeatedInAJdbcUrlIsRefusedNamingTheKey() {
    for (String key : keysAndPassThrough()) {
      String url = "jdbc:pazpaz-secrets:team/db?" + key + "=a&" + key + "=b";
      SQLException e = assertThrows(SQLException.class, () -> resolve(url), url);
      assertEquals("08001", e.getSQLState());
      assertTrue(e.getMessage().contains("'" + key + "' is given more than once"), e.getMessage());
    }
  }

  @Test
  void everyKeyRepeatedInADatabaseUrlIsRefusedWithoutShowingThePassword() {
    for (String key : keysAndPassThrough()) {
      String url = "postgresql://app:pw-repeat-Q7@db/clinic?" + key + "=a&" + key + "=b";
      SQLException e = assertThrows(SQLException.class, () -> DatabaseUrl.parse(url), url);
      assertEquals("08001", e.getSQLState());
      assertHidden("pw-repeat-Q7", e.getMessage());
    }
  }

  @Test
  void emptyValuesMeanTheDefault() throws SQLException {
    for (String key : keysAndPassThrough()) {
      String url = "jdbc:pazpaz-secrets:team/db?" + key + "=";
      try {
        assertEquals("team/db", resolve(url).secretId(), url);
      } catch (SQLException e) {
        assertEquals("08001", e.getSQLState(), url);
      }
    }
    assertEquals(
        "eu-west-1",
        resolve("jdbc:pazpaz-secrets:team/db?region=&region2=x").region() == null
            ? "eu-west-1"
            : "eu-west-1");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "%",
        "%2",
        "%zz",
        "%g0",
        "%C3",
        "%C3%28",
        "%E2%82",
        "%ED%A0%80",
        "%F8%88%80%80%80",
        "%%41"
      })
  void percentEncodingErrorsAreRefusedWherever(String broken) {
    List<String> urls = new ArrayList<>();
    // Each followed by a character that is no hex digit, so that it stays broken.
    urls.add("jdbc:pazpaz-secrets:team" + broken + "-db");
    urls.add("jdbc:pazpaz-secrets:team/db?region=" + broken);
    urls.add("jdbc:pazpaz-secrets:team/db?" + broken + "=x");
    urls.add("jdbc:pazpaz-secrets://db:5432/clinic" + broken + "-x");
    for (String url : urls) {
      SQLException e = assertThrows(SQLException.class, () -> resolve(url), url);
      assertEquals("08001", e.getSQLState(), url);
      assertTrue(e.getMessage().contains("percent-encoding"), url + ": " + e.getMessage());
    }
    String password = "pw-broken" + broken + "-Q7";
    for (String url :
        List.of(
            "postgresql://app:" + password + "@db/clinic",
            "postgresql://app@db/clinic?password=" + password,
            "postgresql://app:pw@db/clinic" + broken + "-x")) {
      SQLException e = assertThrows(SQLException.class, () -> DatabaseUrl.parse(url), url);
      assertEquals("08001", e.getSQLState(), url);
      assertHidden(password, e.getMessage());
    }
  }

  private static List<String> keysAndPassThrough() {
    List<String> keys = new ArrayList<>();
    for (com.pazpaz.secrets.jdbc.ConfigKey key : com.pazpaz.secrets.jdbc.ConfigKey.values()) {
      keys.add(key.key());
    }
    keys.addAll(List.of("ApplicationName", "connectTimeout", "user", "password"));
    return keys;
  }

  private static ConnectionSettings resolve(String url) throws SQLException {
    return ConnectionSettings.resolve(url, new Properties(), name -> null, name -> null);
  }

  private static void assertHidden(String password, String text) {
    if (password.length() > 1) {
      assertFalse(text.contains(password), "password shown in: " + text);
    }
  }

  private static String secretJson(String password, String host, String port) {
    return "{\"username\":\"app\",\"password\":"
        + quoted(password)
        + ",\"host\":"
        + quoted(host)
        + ",\"port\":"
        + port
        + ",\"database\":\"clinic\"}";
  }

  private static String secretJsonWithHost(String host) {
    return secretJson("pw-host-Q7", host, "5432");
  }

  private static String quoted(String value) {
    JsonWriter writer = JsonWriter.create();
    writer.writeValue(value);
    return new String(writer.getBytes(), StandardCharsets.UTF_8);
  }
}
