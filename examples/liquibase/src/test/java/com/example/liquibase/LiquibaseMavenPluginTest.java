package com.example.liquibase;

import static com.pazpaz.secrets.jdbc.testing.EmbeddedDeployment.SECRET;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pazpaz.secrets.jdbc.testing.EmbeddedDeployment;
import com.pazpaz.secrets.jdbc.testing.MavenSubprocess;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Runs {@code mvn liquibase:update} on this project, as a user would, in a separate Maven build.
 */
class LiquibaseMavenPluginTest {

  @Test
  void mvnLiquibaseUpdate() throws Exception {
    try (EmbeddedDeployment deployment =
        EmbeddedDeployment.start(SECRET, "clinic_cli", "clinic_cli")) {
      MavenSubprocess.Result maven =
          MavenSubprocess.run(
              "liquibase:update",
              Path.of("target", "liquibase-maven-plugin.log"),
              List.of(
                  // No usage reports to liquibase.com from a test.
                  "-Dliquibase.analytics.enabled=false",
                  // The pom's URL with the local endpoint and its region in the query: still no
                  // user, no password, no driver class.
                  "-Dliquibase.url=" + deployment.url()));

      assertEquals(0, maven.exitValue(), () -> "mvn liquibase:update failed:\n" + maven.tail());
      assertFalse(
          maven.output().contains(deployment.password()),
          "the output of mvn liquibase:update shows the database password");

      // Through the driver, as the secret's role: the table and Liquibase's record of the change.
      try (Connection connection = DriverManager.getConnection(deployment.url());
          Statement statement = connection.createStatement()) {
        try (ResultSet result =
            statement.executeQuery("SELECT to_regclass('public.patient') IS NOT NULL")) {
          assertTrue(result.next() && result.getBoolean(1), "table patient is missing");
        }
        List<String> changeSets = new ArrayList<>();
        try (ResultSet result =
            statement.executeQuery(
                "SELECT id, author, filename, exectype FROM databasechangelog"
                    + " ORDER BY orderexecuted")) {
          while (result.next()) {
            changeSets.add(
                String.join(
                    " ",
                    result.getString("id"),
                    result.getString("author"),
                    result.getString("filename"),
                    result.getString("exectype")));
          }
        }
        assertEquals(
            List.of("create-patient clinic db/changelog/db.changelog-master.yaml EXECUTED"),
            changeSets);
      }
      assertEquals("clinic_cli", deployment.tableOwner("patient"));
      assertEquals("clinic_cli", deployment.tableOwner("databasechangelog"));
    }
  }
}
