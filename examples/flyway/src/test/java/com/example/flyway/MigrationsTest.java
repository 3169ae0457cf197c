package com.example.flyway;

import static com.pazpaz.secrets.jdbc.testing.EmbeddedDeployment.SECRET;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pazpaz.secrets.jdbc.testing.EmbeddedDeployment;
import org.flywaydb.core.api.output.MigrateResult;
import org.junit.jupiter.api.Test;

class MigrationsTest {

  @Test
  void migratesAsTheSecretsRole() throws Exception {
    try (EmbeddedDeployment deployment =
        EmbeddedDeployment.start(SECRET, "clinic_app", "clinic").useInThisJvm()) {
      MigrateResult result = Migrations.migrate();

      assertTrue(result.success);
      assertEquals(1, result.migrationsExecuted);
      assertEquals("clinic_app", deployment.tableOwner("patient"));
    }
  }
}
