package com.pazpaz.secrets.jdbc.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.SQLException;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JdbcUrlTest {

  @Test
  void secretNameWithEverySpecialCharacterIsKept() throws SQLException {
    JdbcUrl url = JdbcUrl.parse("jdbc:pazpaz-secrets:team/db+creds=1.x@y-z_w");
    assertEquals("team/db+creds=1.x@y-z_w", url.secretId());
    assertNull(url.endpoint());
    assertEquals(Map.of(), url.query());
  }

  @Test
  void secretIdAndQueryArePercentDecoded() throws SQLException {
    JdbcUrl url =
        JdbcUrl.parse(
            "jdbc:pazpaz-secrets:my%20secret?ApplicationName=billing%20api&region=eu-west-1");
    assertEquals("my secret", url.secretId());
    assertEquals(Map.of("ApplicationName", "billing api", "region", "eu-west-1"), url.query());
  }

  @Test
  void arnIsASecretId() throws SQLException {
    String arn = "arn:aws:secretsmanager:eu-central-1:123456789012:secret:pazpaz/db-AbCdEf";
    assertEquals(arn, JdbcUrl.parse("jdbc:pazpaz-secrets:" + arn).secretId());
  }

  @Test
  void emptySecretIdLeavesItToTheKeys() throws SQLException {
    assertNull(JdbcUrl.parse("jdbc:pazpaz-secrets:").secretId());
    assertNull(JdbcUrl.parse("jdbc:pazpaz-secrets:?secretId=x").secretId());
  }

  @Test
  void hostFormGivesTheEndpoint() throws SQLException {
    JdbcUrl url = JdbcUrl.parse("jdbc:pazpaz-secrets://db.internal:6432/clinic?secretId=s");
    assertEquals(new Endpoint("db.internal", 6432, "clinic"), url.endpoint());
    assertNull(url.secretId());
    assertEquals("s", url.query().get("secretId"));
  }

  @Test
  void hostFormDefaultsThePortAndTakesIpv6() throws SQLException {
    assertEquals(
        new Endpoint("db", 5432, "app"), JdbcUrl.parse("jdbc:pazpaz-secrets://db/app").endpoint());
    assertEquals(
        // In Java's full form, which pgjdbc's TLS host name check needs (UnplannedInputTest).
        new Endpoint("0:0:0:0:0:0:0:1", 5433, "app"),
        JdbcUrl.parse("jdbc:pazpaz-secrets://[::1]:5433/app").endpoint());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "jdbc:postgresql://localhost/db",
        "jdbc:pazpaz-secrets://host",
        "jdbc:pazpaz-secrets://host:99999/db",
        "jdbc:pazpaz-secrets://host:abc/db",
        "jdbc:pazpaz-secrets://:5432/db",
        "jdbc:pazpaz-secrets://[::1/db",
        "jdbc:pazpaz-secrets:bad%zzname",
        "jdbc:pazpaz-secrets:x?novalue",
      })
  void malformedUrlsGetAClearSqlException(String url) {
    SQLException e = assertThrows(SQLException.class, () -> JdbcUrl.parse(url));
    assertEquals("08001", e.getSQLState());
    assertTrue(e.getMessage().startsWith("Malformed URL: "), e.getMessage());
    assertTrue(e.getMessage().contains("jdbc:pazpaz-secrets:"), e.getMessage());
  }

  @Test
  void onlyOurPrefixIsAccepted() {
    assertTrue(JdbcUrl.accepts("jdbc:pazpaz-secrets:x"));
    assertFalse(JdbcUrl.accepts("jdbc:postgresql://h/db"));
    assertFalse(JdbcUrl.accepts(null));
  }
}
