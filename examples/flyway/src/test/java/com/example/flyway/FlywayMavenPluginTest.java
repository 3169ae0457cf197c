package com.example.flyway;

import static com.pazpaz.secrets.jdbc.testing.EmbeddedDeployment.SECRET;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pazpaz.secrets.jdbc.testing.EmbeddedDeployment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Runs {@code mvn flyway:migrate} on this project, as a user would, in a separate Maven build. */
class FlywayMavenPluginTest {

  @Test
  void mvnFlywayMigrate() throws Exception {
    try (EmbeddedDeployment deployment =
        EmbeddedDeployment.start(SECRET, "clinic_cli", "clinic_cli")) {
      Path log = Path.of("target", "flyway-maven-plugin.log");
      String pom = Path.of("pom.xml").toAbsolutePath().toString();
      List<String> command = new ArrayList<>();
      command.addAll(List.of(mavenExecutable(), "-B", "-ntp", "-f", pom, "flyway:migrate"));
      // This build's local repository and driver version; AWS credentials the endpoint ignores.
      command.add("-Dmaven.repo.local=" + System.getProperty("maven.repo.local"));
      command.add(
          "-Dpazpaz-secrets-jdbc.version=" + System.getProperty("pazpaz-secrets-jdbc.version"));
      command.addAll(
          List.of(
              "-Daws.accessKeyId=test",
              "-Daws.secretAccessKey=test",
              "-Daws.disableEc2Metadata=true"));
      command.addAll(deployment.systemPropertyOptions());
      ProcessBuilder builder =
          new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
      builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
      Process maven = builder.start();

      assertTrue(
          maven.waitFor(5, TimeUnit.MINUTES), "mvn flyway:migrate did not finish in 5 minutes");
      assertEquals(0, maven.exitValue(), () -> "mvn flyway:migrate failed:\n" + tail(log));
      assertEquals("clinic_cli", deployment.tableOwner("patient"));
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
