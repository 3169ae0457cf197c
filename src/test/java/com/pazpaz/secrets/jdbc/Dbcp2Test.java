package com.pazpaz.secrets.jdbc;

import static com.pazpaz.secrets.jdbc.DriverTestSupport.DATABASE;
import static com.pazpaz.secrets.jdbc.DriverTestSupport.postgres;
import static com.pazpaz.secrets.jdbc.DriverTestSupport.queryString;
import static com.pazpaz.secrets.jdbc.DriverTestSupport.secretsManager;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import org.apache.commons.dbcp2.BasicDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.postgresql.PGConnection;

/** Apache Commons DBCP2 pools connections of a {@code jdbc:pazpaz-secrets:} URL. */
@ExtendWith(NoPasswordsInLogs.class)
class Dbcp2Test {

  @Test
  void poolsWithTheUrlAlone() throws Exception {
    SchemaOwner owner = SchemaOwner.create("dbcp");
    String url = owner.url();

    // The README's DBCP2 snippet.
    try (BasicDataSource pool = new BasicDataSource()) {
      pool.setUrl(url);
      try (Connection connection = pool.getConnection();
          Statement statement = connection.createStatement()) {
        statement.execute("CREATE TABLE appointment (patient TEXT NOT NULL)");
        statement.execute("INSERT INTO appointment VALUES ('Ada Lovelace')");
        assertEquals(owner.role(), queryString(connection, "SELECT current_user"));
        assertNotNull(connection.unwrap(PGConnection.class));
      }
    }

    try (Connection connection = DriverManager.getConnection(url)) {
      assertEquals("Ada Lovelace", queryString(connection, "SELECT patient FROM appointment"));
    }
  }

  @Test
  void driverClassNameWorksAndThePoolsUserAndPasswordAreIgnored() throws Exception {
    SchemaOwner owner = SchemaOwner.create("dbcp_class");
    try (BasicDataSource pool = new BasicDataSource()) {
      pool.setDriverClassName("com.pazpaz.secrets.jdbc.PazPazSecretsDriver");
      pool.setUrl(owner.url());
      pool.setUsername("postgres");
      pool.setPassword("not the secret's password");
      pool.setMaxTotal(2);
      try (Connection first = pool.getConnection();
          Connection second = pool.getConnection()) {
        assertEquals(owner.role(), queryString(first, "SELECT current_user"));
        assertEquals(owner.role(), queryString(second, "SELECT current_user"));
      }
    }
  }

  @Test
  void hostFormTakesTheSecretIdFromTheUsername() throws Exception {
    SchemaOwner owner = SchemaOwner.create("dbcp_host");
    String url =
        "jdbc:pazpaz-secrets://"
            + postgres().host()
            + ":"
            + postgres().port()
            + "/"
            + DATABASE
            + "?endpoint="
            + secretsManager().endpoint()
            + "&region="
            + secretsManager().region();
    try (BasicDataSource pool = new BasicDataSource()) {
      pool.setUrl(url);
      pool.setUsername(owner.secretId());
      try (Connection connection = pool.getConnection()) {
        assertEquals(owner.role(), queryString(connection, "SELECT current_user"));
      }
    }
  }
}
