package com.example.opentelemetry;

import com.pazpaz.secrets.jdbc.PazPazSecretsDataSource;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * One query through a HikariCP pool whose connections log in with the credentials of the AWS
 * Secrets Manager secret {@code pazpaz/database-credentials}, for the OpenTelemetry Java agent to
 * trace. Run it with {@code -javaagent:opentelemetry-javaagent.jar}.
 */
public final class ClinicQuery {

  private static final String SECRET_ID = "pazpaz/database-credentials";

  private ClinicQuery() {}

  /**
   * The pool takes its connections from the driver's data source. The agent tags them with the URL
   * of pgjdbc's own connect, so the spans name the real database system, database, host and port.
   */
  public static HikariDataSource poolOverDataSource() {
    PazPazSecretsDataSource secrets = new PazPazSecretsDataSource();
    secrets.setSecretId(SECRET_ID);
    HikariConfig config = new HikariConfig();
    config.setPoolName("clinic");
    config.setMaximumPoolSize(2);
    config.setDataSource(secrets);
    return new HikariDataSource(config);
  }

  /**
   * The pool connects through the driver's URL. It works just as well, but the agent tags the
   * connections with this URL, which it cannot parse: {@code db.system=other_sql}, and no database,
   * host or port.
   */
  public static HikariDataSource poolOverJdbcUrl() {
    HikariConfig config = new HikariConfig();
    config.setPoolName("clinic-by-url");
    config.setMaximumPoolSize(2);
    config.setJdbcUrl("jdbc:pazpaz-secrets:" + SECRET_ID);
    return new HikariDataSource(config);
  }

  /**
   * Prints the name of the database the pool's connections are in. The column is named after the
   * pool, so that its statement, and so its span, says which pool ran it.
   */
  public static String currentDatabase(HikariDataSource pool) throws SQLException {
    String column = pool.getPoolName().replace('-', '_');
    try (Connection connection = pool.getConnection();
        Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery("SELECT current_database() AS " + column)) {
      result.next();
      return result.getString(1);
    }
  }

  /**
   * Queries through the data-source pool; with the argument {@code jdbc-url}, also through the URL
   * pool, afterwards.
   */
  public static void main(String[] args) throws SQLException {
    try (HikariDataSource pool = poolOverDataSource()) {
      System.out.println("data source: database " + currentDatabase(pool));
    }
    if (args.length > 0 && args[0].equals("jdbc-url")) {
      try (HikariDataSource pool = poolOverJdbcUrl()) {
        System.out.println("jdbc url: database " + currentDatabase(pool));
      }
    }
  }
}
