package com.example.hikaricp;

import static com.pazpaz.secrets.jdbc.testing.EmbeddedDeployment.DATABASE;
import static com.pazpaz.secrets.jdbc.testing.EmbeddedDeployment.ROLE;
import static com.pazpaz.secrets.jdbc.testing.EmbeddedDeployment.SECRET;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.pazpaz.secrets.jdbc.testing.EmbeddedDeployment;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ClinicPoolsTest {

  private static EmbeddedDeployment deployment;

  @BeforeAll
  static void startServers() {
    deployment = EmbeddedDeployment.start().useInThisJvm();
  }

  @AfterAll
  static void stopServers() {
    deployment.close();
  }

  @Test
  void jdbcUrlAlone() throws SQLException {
    try (HikariDataSource pool = ClinicPools.withJdbcUrl()) {
      assertEquals(ROLE, query(pool, "SELECT current_user"));
      assertEquals(DATABASE, query(pool, "SELECT current_database()"));
      assertEquals(
          "true", query(pool, "SELECT ssl::text FROM pg_stat_ssl WHERE pid = pg_backend_pid()"));
    }
  }

  @Test
  void dataSourceClassNameWithDataSourceProperties() throws SQLException {
    try (HikariDataSource pool = ClinicPools.withDataSourceClassName()) {
      assertEquals(ROLE, query(pool, "SELECT current_user"));
      assertEquals("clinic", query(pool, "SELECT current_setting('application_name')"));
    }
  }

  @Test
  void poolUsernameAndPasswordAreNotUsedToLogIn() throws SQLException {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl("jdbc:pazpaz-secrets:" + SECRET);
    config.setUsername("someone_else");
    config.setPassword("not-the-password");
    config.setMaximumPoolSize(1);
    try (HikariDataSource pool = new HikariDataSource(config)) {
      assertEquals(ROLE, query(pool, "SELECT current_user"));
    }
  }

  @Test
  void hostFormTakesTheSecretIdFromTheUsername() throws SQLException {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(
        "jdbc:pazpaz-secrets://localhost:" + deployment.postgres().port() + "/" + DATABASE);
    config.setUsername(SECRET);
    config.setMaximumPoolSize(1);
    try (HikariDataSource pool = new HikariDataSource(config)) {
      assertEquals(ROLE, query(pool, "SELECT current_user"));
    }
  }

  private static String query(DataSource dataSource, String sql) throws SQLException {
    try (Connection connection = dataSource.getConnection();
        Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery(sql)) {
      result.next();
      return result.getString(1);
    }
  }
}
