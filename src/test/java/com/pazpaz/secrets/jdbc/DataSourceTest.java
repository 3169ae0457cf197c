package com.pazpaz.secrets.jdbc;

import static com.pazpaz.secrets.jdbc.DriverTestSupport.postgres;
import static com.pazpaz.secrets.jdbc.DriverTestSupport.queryString;
import static com.pazpaz.secrets.jdbc.DriverTestSupport.secretsManager;
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

/** PazPazSecretsDataSource where a pool wants a DataSource. */
@ExtendWith(NoPasswordsInLogs.class)
class DataSourceTest {

  @Test
  void beanSettersConnectWithTheSecret() throws Exception {
    TestDeployment app = TestDeployment.create("ds_app");

    PazPazSecretsDataSource dataSource = new PazPazSecretsDataSource(app.driver());
    dataSource.setSecretId(app.secretId());
    dataSource.setEndpoint(secretsManager().endpoint().toString());
    dataSource.setRegion(secretsManager().region());
    dataSource.setApplicationName("ds-test");
    dataSource.setPassword("a pool's password, ignored");
    try (Connection connection = dataSource.getConnection()) {
      assertEquals(app.role(), queryString(connection, "SELECT current_user"));
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
    TestDeployment app = TestDeployment.create("hikari_ds");

    HikariConfig config = new HikariConfig();
    config.setDataSourceClassName(PazPazSecretsDataSource.class.getName());
    Properties properties = new Properties();
    properties.setProperty("secretId", app.secretId());
    properties.setProperty("endpoint", secretsManager().endpoint().toString());
    properties.setProperty("region", secretsManager().region());
    properties.setProperty("applicationName", "hikari-ds");
    config.setDataSourceProperties(properties);
    config.setMaximumPoolSize(2);
    try (HikariDataSource pool = new HikariDataSource(config);
        Connection connection = pool.getConnection()) {
      assertEquals(app.role(), queryString(connection, "SELECT current_user"));
      assertEquals(
          "hikari-ds",
          queryString(
              connection,
              "SELECT application_name FROM pg_stat_activity WHERE pid = pg_backend_pid()"));
    }
  }

  @Test
  void hostFormUrlOnTheDataSourceTakesTheSecretFromTheUser() throws Exception {
    TestDeployment app = TestDeployment.create("ds_host");
    PazPazSecretsDataSource dataSource = new PazPazSecretsDataSource(app.driver());
    dataSource.setUrl(
        "jdbc:pazpaz-secrets://"
            + postgres().host()
            + ":"
            + postgres().port()
            + "/"
            + DriverTestSupport.DATABASE);
    dataSource.setEndpoint(secretsManager().endpoint().toString());
    dataSource.setRegion(secretsManager().region());
    try (Connection connection = dataSource.getConnection(app.secretId(), "ignored")) {
      assertEquals(app.role(), queryString(connection, "SELECT current_user"));
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
