package com.pazpaz.secrets.jdbc;

import static com.pazpaz.secrets.jdbc.DriverTestSupport.createRole;
import static com.pazpaz.secrets.jdbc.DriverTestSupport.isolatedDriver;
import static com.pazpaz.secrets.jdbc.DriverTestSupport.password;
import static com.pazpaz.secrets.jdbc.DriverTestSupport.postgres;
import static com.pazpaz.secrets.jdbc.DriverTestSupport.queryString;
import static com.pazpaz.secrets.jdbc.DriverTestSupport.secretJson;
import static com.pazpaz.secrets.jdbc.DriverTestSupport.secretsManager;
import static com.pazpaz.secrets.jdbc.DriverTestSupport.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.postgresql.PGConnection;

/** Issue 2, point 6: PazPazSecretsDataSource where a pool wants a DataSource. */
@ExtendWith(NoPasswordsInLogs.class)
class DataSourceTest {

  @Test
  void beanSettersConnectWithTheSecret() throws Exception {
    String role = unique("ds_app");
    String password = password(role);
    createRole(role, password);
    String secret = unique("datasource");
    secretsManager().createSecret(secret, secretJson(role, password));

    PazPazSecretsDataSource dataSource = new PazPazSecretsDataSource(isolatedDriver());
    dataSource.setSecretId(secret);
    dataSource.setEndpoint(secretsManager().endpoint().toString());
    dataSource.setRegion(secretsManager().region());
    dataSource.setApplicationName("ds-test");
    dataSource.setPassword("a pool's password, ignored");
    try (Connection connection = dataSource.getConnection()) {
      assertEquals(role, queryString(connection, "SELECT current_user"));
      assertEquals(
          "ds-test",
          queryString(
              connection,
              "SELECT application_name FROM pg_stat_activity WHERE pid = pg_backend_pid()"));
      assertTrue(connection.isWrapperFor(PGConnection.class));
    }
  }

  @Test
  void hikariWithDataSourceClassNameAndProperties() throws Exception {
    String role = unique("hikari_ds");
    String password = password(role);
    createRole(role, password);
    String secret = unique("hikari-datasource");
    secretsManager().createSecret(secret, secretJson(role, password));

    HikariConfig config = new HikariConfig();
    config.setDataSourceClassName(PazPazSecretsDataSource.class.getName());
    Properties properties = new Properties();
    properties.setProperty("secretId", secret);
    properties.setProperty("endpoint", secretsManager().endpoint().toString());
    properties.setProperty("region", secretsManager().region());
    properties.setProperty("applicationName", "hikari-ds");
    config.setDataSourceProperties(properties);
    config.setMaximumPoolSize(2);
    try (HikariDataSource pool = new HikariDataSource(config);
        Connection connection = pool.getConnection()) {
      assertEquals(role, queryString(connection, "SELECT current_user"));
      assertEquals(
          "hikari-ds",
          queryString(
              connection,
              "SELECT application_name FROM pg_stat_activity WHERE pid = pg_backend_pid()"));
    }
  }

  @Test
  void hostFormUrlOnTheDataSourceTakesTheSecretFromTheUser() throws Exception {
    String role = unique("ds_host");
    String password = password(role);
    createRole(role, password);
    String secret = unique("ds-hostform");
    secretsManager().createSecret(secret, secretJson(role, password));
    PazPazSecretsDataSource dataSource = new PazPazSecretsDataSource(isolatedDriver());
    dataSource.setUrl(
        "jdbc:pazpaz-secrets://"
            + postgres().host()
            + ":"
            + postgres().port()
            + "/"
            + DriverTestSupport.DATABASE);
    dataSource.setEndpoint(secretsManager().endpoint().toString());
    dataSource.setRegion(secretsManager().region());
    try (Connection connection = dataSource.getConnection(secret, "ignored")) {
      assertEquals(role, queryString(connection, "SELECT current_user"));
    }
  }

  @Test
  void badUrlIsRefusedWhenSetAndToStringHidesTheQuery() throws SQLException {
    PazPazSecretsDataSource dataSource = new PazPazSecretsDataSource();
    SQLException e =
        assertThrows(SQLException.class, () -> dataSource.setUrl("jdbc:postgresql://h/db"));
    assertEquals("08001", e.getSQLState());
    dataSource.setUrl("jdbc:pazpaz-secrets:s?databaseUrl=postgresql://u:topsecret@h/db");
    dataSource.setDatabaseUrl("postgresql://u:topsecret@h/db");
    assertFalse(dataSource.toString().contains("topsecret"), dataSource.toString());
  }
}
