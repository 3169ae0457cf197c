package com.pazpaz.secrets.jdbc.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pazpaz.secrets.jdbc.testing.TestSecret;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SecretParserTest {

  private static final String PASSWORD = "Zx9-very-secret-value";

  @Test
  void readsEveryKey() throws SQLException {
    DatabaseSecret secret =
        SecretParser.parse(
            "s",
            TestSecret.credentialsOnly("app", PASSWORD)
                .with("host", "db")
                .with("port", 5432)
                .withDatabase("clinic")
                .withCaFile("/ca.pem")
                .with("engine", "postgres")
                .json());
    assertEquals(new DatabaseSecret("app", PASSWORD, "db", 5432, "clinic", "/ca.pem"), secret);
  }

  @Test
  void acceptsRdsShapeWithStringPortAndDbname() throws SQLException {
    DatabaseSecret secret =
        SecretParser.parse(
            "s",
            TestSecret.credentialsOnly("app", "p")
                .with("host", "db")
                .with("port", 6432)
                .withDatabase("rds")
                .withDbnameInsteadOfDatabase()
                .withPortAsString()
                .with("dbInstanceIdentifier", "x")
                .json());
    assertEquals(6432, secret.port());
    assertEquals("rds", secret.database());
    assertNull(secret.sslCertPath());
  }

  @Test
  void endpointKeysMayBeLeftToTheUrl() throws SQLException {
    DatabaseSecret secret = SecretParser.parse("s", "{\"username\":\"app\",\"password\":\"p\"}");
    assertNull(secret.host());
    assertNull(secret.port());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"password\":\"SECRET\"}|'username' is missing",
        "{\"username\":\"app\"}|'password' is missing",
        "{\"username\":7,\"password\":\"SECRET\"}|'username' must be a string",
        "{\"username\":\"a\",\"password\":\"SECRET\",\"port\":\"x5432\"}|'port' must be a number",
        "{\"username\":\"a\",\"password\":\"SECRET\",\"port\":70000}|'port' must be a number",
        "{\"username\":\"a\",\"password\":\"SECRET\",\"port\":true}|'port' must be a number",
        "{\"username\":\"a\",\"password\":SECRET}|not valid JSON",
        "SECRET|not valid JSON",
        "[\"SECRET\"]|not a JSON object",
        "\"SECRET\"|not a JSON object",
      })
  void errorsNameTheSecretAndTheKeyButNeverTheValue(String json, String expected) {
    SQLException e =
        assertThrows(
            SQLException.class,
            () -> SecretParser.parse("team/db", json.replace("SECRET", PASSWORD)));
    assertEquals("08001", e.getSQLState());
    assertTrue(e.getMessage().contains("'team/db'"), e.getMessage());
    assertTrue(e.getMessage().contains(expected), e.getMessage());
    for (Throwable t = e; t != null; t = t.getCause()) {
      assertFalse(String.valueOf(t.getMessage()).contains(PASSWORD), t.getMessage());
    }
  }

  @Test
  void toStringMasksThePassword() throws SQLException {
    String shown =
        SecretParser.parse("s", "{\"username\":\"app\",\"password\":\"" + PASSWORD + "\"}")
            .toString();
    assertFalse(shown.contains(PASSWORD), shown);
    assertTrue(shown.contains("password=****"), shown);
  }
}
