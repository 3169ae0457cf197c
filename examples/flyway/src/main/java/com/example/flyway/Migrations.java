package com.example.flyway;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

/** Applies the migrations in classpath:db/migration with the credentials of the secret. */
public final class Migrations {

  private Migrations() {}

  public static MigrateResult migrate() {
    return Flyway.configure()
        .dataSource("jdbc:pazpaz-secrets:pazpaz/database-credentials", null, null)
        .load()
        .migrate();
  }

  public static void main(String[] args) {
    migrate();
  }
}
