package com.pazpaz.secrets.jdbc;

import static com.pazpaz.secrets.jdbc.DriverTestSupport.isolatedDriver;
import static com.pazpaz.secrets.jdbc.DriverTestSupport.postgres;
import static com.pazpaz.secrets.jdbc.DriverTestSupport.queryString;
import static com.pazpaz.secrets.jdbc.DriverTestSupport.rememberPassword;
import static com.pazpaz.secrets.jdbc.DriverTestSupport.secretsManager;
import static com.pazpaz.secrets.jdbc.DriverTestSupport.unique;
import static com.pazpaz.secrets.jdbc.DriverTestSupport.url;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Properties;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.protocols.jsoncore.JsonWriter;

/**
 * Real logins with input nobody planned for: passwords of every character class, an IPv6 host, a
 * host name with a trailing dot, a database name with spaces and non-ASCII, a 64 KiB secret. Each
 * reaches the embedded PostgreSQL through the local Secrets Manager and the driver.
 */
@ExtendWith(NoPasswordsInLogs.class)
class UnplannedInputConnectTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "pw\"dq'sq\\bs-Q7x9",
        "pw&amp=eq%25pc%zz@at:colon/sl?q#h-Q7x9",
        "p\u00e4ssw\u00f6rd-\u20ac-\u4e2d\u6587-\ud83d\ude00-Q7x9",
        "pw with spaces+plus-Q7x9"
      })
  void passwordsOfEveryCharacterClassLogIn(String password) throws SQLException {
    assertLogsIn(password);
  }

  @Test
  void aPasswordOfOneThousandAndTwentyFourCharactersLogsIn() throws SQLException {
    Random random = new Random(1024);
    String alphabet = "aZ9\"'\\&=%@:/?#[]{} +,;!$^*()~`|<>\u00e9\u00fc\u20ac\u4e2d";
    StringBuilder password = new StringBuilder("pw-long-");
    while (password.length() < 1_024) {
      password.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    assertLogsIn(password.toString());
  }

  @Test
  void aPasswordOfOneCharacterLogsIn() throws SQLException {
    // Not remembered for the log check: one character is found in every log line.
    String role = unique("one_char");
    postgres().createRole(role, "\u00e9", DriverTestSupport.DATABASE);
    String secret = unique("one-char");
    secretsManager().createSecret(secret, secretJson(role, "\u00e9", "localhost", "clinic"));
    assertEquals(role, currentUser(url(secret)));
  }

  @Test
  void anIpv6HostInTheUrlAndInTheSecretLogsIn() throws SQLException {
    Login login = Login.create("ipv6", "::1", DriverTestSupport.DATABASE);
    assertEquals(login.role, currentUser(url(login.secret)));
    String urlForm =
        "jdbc:pazpaz-secrets://[::1]:"
            + postgres().port()
            + "/clinic?secretId="
            + login.secret
            + "&endpoint="
            + secretsManager().endpoint()
            + "&region="
            + secretsManager().region();
    assertEquals(login.role, currentUser(urlForm));
  }

  @Test
  void aHostNameWithATrailingDotLogsIn() throws SQLException {
    Login login = Login.create("trailing_dot", "localhost.", DriverTestSupport.DATABASE);
    assertEquals(login.role, currentUser(url(login.secret)));
  }

  @Test
  void aDatabaseNamedWithSpacesAndNonAsciiIsReached() throws SQLException {
    String database = "clinic records \u00fc \u8a3a\u7642\u6240";
    Login login = Login.create("odd_database", "localhost", database);
    try (Connection connection = isolatedDriver().connect(url(login.secret), new Properties())) {
      assertEquals(database, queryString(connection, "SELECT current_database()"));
    }
    String urlForm =
        "jdbc:pazpaz-secrets://localhost:"
            + postgres().port()
            + "/"
            + URLEncoder.encode(database, StandardCharsets.UTF_8).replace("+", "%20")
            + "?secretId="
            + login.secret
            + "&endpoint="
            + secretsManager().endpoint()
            + "&region="
            + secretsManager().region();
    try (Connection connection = isolatedDriver().connect(urlForm, new Properties())) {
      assertEquals(database, queryString(connection, "SELECT current_database()"));
    }
  }

  @Test
  void aSecretOfSixtyFourKibibytesLogsIn() throws SQLException {
    String role = unique("big_secret");
    String password = DriverTestSupport.password(role);
    postgres().createRole(role, password, DriverTestSupport.DATABASE);
    String secret = unique("big-secret");
    String json =
        com.pazpaz.secrets.jdbc.internal.UnplannedInputTestSupport.sixtyFourKibibyteSecret(
            secretJson(role, password, "localhost", DriverTestSupport.DATABASE));
    assertEquals(65_536, json.getBytes(StandardCharsets.UTF_8).length);
    secretsManager().createSecret(secret, json);
    assertEquals(role, currentUser(url(secret)));
  }

  private static void assertLogsIn(String password) throws SQLException {
    String role = unique("chars");
    rememberPassword(password);
    postgres().createRole(role, password, DriverTestSupport.DATABASE);
    String secret = unique("chars");
    secretsManager()
        .createSecret(secret, secretJson(role, password, "localhost", DriverTestSupport.DATABASE));
    assertEquals(role, currentUser(url(secret)));
  }

  private static String currentUser(String url) throws SQLException {
    try (Connection connection = isolatedDriver().connect(url, new Properties())) {
      return queryString(connection, "SELECT current_user");
    }
  }

  /** A role with a password on the database, and a secret naming it at the host. */
  private record Login(String role, String secret) {
    static Login create(String prefix, String host, String database) {
      String role = unique(prefix);
      String password = DriverTestSupport.password(role);
      postgres().createRole(role, password, database);
      String secret = unique(prefix.replace('_', '-'));
      secretsManager().createSecret(secret, secretJson(role, password, host, database));
      return new Login(role, secret);
    }
  }

  private static String secretJson(String role, String password, String host, String database) {
    return "{\"username\":"
        + quoted(role)
        + ",\"password\":"
        + quoted(password)
        + ",\"host\":"
        + quoted(host)
        + ",\"port\":"
        + postgres().port()
        + ",\"database\":"
        + quoted(database)
        + ",\"ssl_cert_path\":"
        + quoted(postgres().caCertificate().toString())
        + "}";
  }

  private static String quoted(String value) {
    JsonWriter writer = JsonWriter.create();
    writer.writeValue(value);
    return new String(writer.getBytes(), StandardCharsets.UTF_8);
  }
}
