package com.example.flyway;

import static com.pazpaz.secrets.jdbc.testing.EmbeddedDeployment.SECRET;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.pazpaz.secrets.jdbc.testing.EmbeddedDeployment;
import com.pazpaz.secrets.jdbc.testing.MavenSubprocess;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Runs {@code mvn flyway:migrate} on this project, as a user would, in a separate Maven build. */
class FlywayMavenPluginTest {

  @Test
  void mvnFlywayMigrate() throws Exception {
    try (EmbeddedDeployment deployment =
        EmbeddedDeployment.start(SECRET, "clinic_cli", "clinic_cli")) {
      MavenSubprocess.Result maven =
          MavenSubprocess.run(
              "flyway:migrate",
              Path.of("target", "flyway-maven-plugin.log"),
              deployment.systemPropertyOptions());

      assertEquals(0, maven.exitValue(), () -> "mvn flyway:migrate failed:\n" + maven.tail());
      assertFalse(
          maven.output().contains(deployment.password()),
          "the output of mvn flyway:migrate shows the database password");
      assertEquals("clinic_cli", deployment.tableOwner("patient"));
    }
  }
}
