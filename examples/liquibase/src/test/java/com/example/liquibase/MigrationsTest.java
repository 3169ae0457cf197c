package com.example.liquibase;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class MigrationsTest {

  @Test
  void updatesAsTheSecretsRole() throws Exception {
    try (EmbeddedServers servers = EmbeddedServers.start("clinic_app", "clinic").useInThisJvm()) {
      Migrations.update();

      assertEquals("clinic_app", servers.tableOwner("patient"));
      assertEquals("clinic_app", servers.tableOwner("databasechangelog"));
    }
  }
}
