package com.example.logging;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Connects once. With slf4j-jdk-platform-logging and logback-classic on the class path, the
 * driver's events (database_credentials_fetched_from_aws, ...) are Logback events of the logger
 * com.pazpaz.secrets.jdbc, beside the application's own: no code is needed for that.
 */
public final class ClinicApp {

  private static final Logger log = LoggerFactory.getLogger(ClinicApp.class);

  public static void main(String[] args) throws SQLException {
    String url = "jdbc:pazpaz-secrets:pazpaz/database-credentials";
    try (Connection connection = DriverManager.getConnection(url);
        Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery("SELECT current_user")) {
      result.next();
      log.info("connected as {}", result.getString(1));
    }
  }
}
