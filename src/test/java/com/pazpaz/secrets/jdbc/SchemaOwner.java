package com.pazpaz.secrets.jdbc;

import static com.pazpaz.secrets.jdbc.DriverTestSupport.unique;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A fresh role with a secret and a schema of its own, for tests that run migration tools. The
 * schema bears the role's name, so PostgreSQL's default {@code search_path} ({@code "$user",
 * public}) makes it the current schema: each tool keeps its tables and history there without being
 * told, and tests never see each other's migrations.
 *
 * @param url the secret's {@code jdbc:pazpaz-secrets:} URL on the local Secrets Manager
 */
record SchemaOwner(String role, String secretId, String url) {

  static SchemaOwner create(String prefix) throws SQLException {
    TestDeployment app =
        TestDeployment.builder(prefix).secretId(unique(prefix + "-secret")).create();
    String url = app.url();
    try (Connection connection = DriverManager.getConnection(url);
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE SCHEMA AUTHORIZATION " + app.role());
    }
    return new SchemaOwner(app.role(), app.secretId(), url);
  }
}
