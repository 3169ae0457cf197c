package com.example.liquibase;

import static com.pazpaz.secrets.jdbc.testing.EmbeddedDeployment.SECRET;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pazpaz.secrets.jdbc.testing.EmbeddedDeployment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Runs {@code mvn liquibase:update} on this project, as a user would, in a separate Maven build.
 */
class LiquibaseMavenPluginTest {

  @Test
  void mvnLiquibaseUpdate() throws Exception {
    try (EmbeddedDeployment deployment =
        EmbeddedDeployment.start(SECRET, "clinic_cli", "clinic_cli")) {
      Path log = Path.of("target", "liquibase-maven-plugin.log");
      String pom = Path.of("pom.xml").toAbsolutePath().toString();
      List<String> command = new ArrayList<>();
      command.addAll(List.of(mavenExecutable(), "-B", "-ntp", "-f", pom, "liquibase:update"));
      // This build's local repository and driver version; AWS credentials the endpoint ignores.
      command.add("-Dmaven.repo.local=" + System.getProperty("maven.repo.local"));
      command.add(
          "-Dpazpaz-secrets-jdbc.version=" + System.getProperty("pazpaz-secrets-jdbc.version"));
      command.addAll(
          List.of(
              "-Daws.accessKeyId=test",
              "-Daws.secretAccessKey=test",
              "-Daws.disableEc2Metadata=true",
              // No usage reports to liquibase.com from a test.
              "-Dliquibase.analytics.enabled=false"));
      // The pom's URL with the local endpoint and its region in the query: still no user,
      // no password, no driver class.
      command.add("-Dliquibase.url=" + deployment.url());
      ProcessBuilder builder =
          new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
      builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
      Process maven = builder.start();

      assertTrue(
          maven.waitFor(5, TimeUnit.MINUTES), "mvn liquibase:update did not finish in 5 minutes");
      assertEquals(0, maven.exitValue(), () -> "mvn liquibase:update failed:\n" + tail(log));
      assertFalse(
          Files.readString(log).contains(deployment.password()),
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

  private static String mavenExecutable() {
    String name = System.getProperty("os.name").startsWith("Windows") ? "mvn.cmd" : "mvn";
    return Path.of(System.getProperty("maven.home"), "bin", name).toString();
  }

  private static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (Exception e) {
      return "(no log: " + e + ")";
    }
  }
}
