package com.example.flyway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.flywaydb.core.api.output.MigrateResult;
import org.junit.jupiter.api.Test;

class MigrationsTest {

  @Test
  void migratesAsTheSecretsRole() throws Exception {
    try (EmbeddedServers servers = EmbeddedServers.start("clinic_app", "clinic").useInThisJvm()) {
      MigrateResult result = Migrations.migrate();

      assertTrue(result.success);
      assertEquals(1, result.migrationsExecuted);
      assertEquals("clinic_app", servers.tableOwner("patient"));
    }
  }
}
