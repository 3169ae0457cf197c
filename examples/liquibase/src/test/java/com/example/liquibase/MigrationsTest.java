package com.example.liquibase;

import static com.pazpaz.secrets.jdbc.testing.EmbeddedDeployment.SECRET;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.pazpaz.secrets.jdbc.testing.EmbeddedDeployment;
import org.junit.jupiter.api.Test;

class MigrationsTest {

  @Test
  void updatesAsTheSecretsRole() throws Exception {
    try (EmbeddedDeployment deployment =
        EmbeddedDeployment.start(SECRET, "clinic_app", "clinic").useInThisJvm()) {
      Migrations.update();

      assertEquals("clinic_app", deployment.tableOwner("patient"));
      assertEquals("clinic_app", deployment.tableOwner("databasechangelog"));
    }
  }
}
