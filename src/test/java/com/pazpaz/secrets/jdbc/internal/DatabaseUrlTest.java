package com.pazpaz.secrets.jdbc.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.SQLException;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DatabaseUrlTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "postgresql://app:s%40cret%2Bx@db.local:6543/clinic",
        "postgres://app:s%40cret%2Bx@db.local:6543/clinic",
        "postgresql+asyncpg://app:s%40cret%2Bx@db.local:6543/clinic",
        "postgresql+psycopg2://app:s%40cret%2Bx@db.local:6543/clinic",
        "jdbc:postgresql://app:s%40cret%2Bx@db.local:6543/clinic",
        "jdbc:postgresql://db.local:6543/clinic?user=app&password=s%40cret%2Bx",
      })
  void everyCommonFormGivesTheSameCredentials(String url) throws SQLException {
    DatabaseSecret credentials = DatabaseUrl.parse(url).credentials();
    assertEquals("app", credentials.username());
    assertEquals("s@cret+x", credentials.password());
    assertEquals("db.local", credentials.host());
    assertEquals(6543, credentials.port());
    assertEquals("clinic", credentials.database());
  }

  @Test
  void defaultPortAndPassThroughParameters() throws SQLException {
    DatabaseUrl url = DatabaseUrl.parse("postgresql://u:p@localhost/db?sslmode=require");
    assertEquals(5432, url.credentials().port());
    assertEquals(Map.of("sslmode", "require"), url.parameters());
  }

  @Test
  void passwordWithUnescapedAtSignStillParses() throws SQLException {
    DatabaseSecret credentials =
        DatabaseUrl.parse("postgresql://u:p@ss@localhost/db").credentials();
    assertEquals("p@ss", credentials.password());
    assertEquals("localhost", credentials.host());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "mysql://u:topsecret1@h/db",
        "postgresql://u:topsecret1@h",
        "postgresql://:topsecret1@h/db",
        "postgresql://u:topsecret1@h:port/db",
        "postgresql://u:topsecret1%zz@h/db",
        "topsecret1",
      })
  void malformedUrlsNeverShowThePassword(String url) {
    SQLException e = assertThrows(SQLException.class, () -> DatabaseUrl.parse(url));
    assertEquals("08001", e.getSQLState());
    assertTrue(e.getMessage().contains("DATABASE_URL"), e.getMessage());
    assertFalse(e.getMessage().contains("topsecret1"), e.getMessage());
  }

  @Test
  void toStringHidesThePassword() throws SQLException {
    String shown = DatabaseUrl.parse("postgresql://u:topsecret1@h/db?password=x").toString();
    assertFalse(shown.contains("topsecret1"), shown);
  }
}
