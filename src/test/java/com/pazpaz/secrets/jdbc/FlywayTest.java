package com.pazpaz.secrets.jdbc;

import static com.pazpaz.secrets.jdbc.DriverTestSupport.DATABASE;
import static com.pazpaz.secrets.jdbc.DriverTestSupport.postgres;
import static com.pazpaz.secrets.jdbc.DriverTestSupport.queryString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pazpaz.secrets.jdbc.flyway.PazPazSecretsDatabaseType;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.flywaydb.core.internal.database.DatabaseTypeRegister;
import org.flywaydb.core.internal.database.GeneralDatabaseType;
import org.flywaydb.core.internal.jdbc.DriverDataSource;
import org.flywaydb.database.postgresql.PostgreSQLDatabaseType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.postgresql.Driver;

/** Flyway migrates through a {@code jdbc:pazpaz-secrets:} URL and nothing else. */
@ExtendWith(NoPasswordsInLogs.class)
class FlywayTest {

  @Test
  void migratesWithTheUrlAlone() throws Exception {
    SchemaOwner owner = SchemaOwner.create("flyway");
    String url = owner.url();

    // The README's Flyway snippet.
    Flyway flyway =
        Flyway.configure().dataSource(url, null, null).locations("classpath:db/flyway").load();
    MigrateResult result = flyway.migrate();

    assertTrue(result.success);
    assertEquals(2, result.migrationsExecuted);
    // Once connected, Flyway works with its own PostgreSQL support.
    assertEquals("PostgreSQL", result.databaseType);
    try (Connection connection = DriverManager.getConnection(url)) {
      assertEquals("Ada Lovelace", queryString(connection, "SELECT patient FROM appointment"));
      assertEquals(
          owner.role(),
          queryString(
              connection, "SELECT installed_by FROM flyway_schema_history WHERE version = '2'"));
    }
    // The history is read back through the same URL: nothing runs twice.
    assertEquals(0, flyway.migrate().migrationsExecuted);
  }

  @Test
  void ourUrlLoadsOurDriverWithoutUserOrPassword() throws Exception {
    SchemaOwner owner = SchemaOwner.create("flyway_ds");
    DriverDataSource dataSource =
        new DriverDataSource(getClass().getClassLoader(), null, owner.url(), null, null);
    assertInstanceOf(PazPazSecretsDriver.class, dataSource.getDriver());
    try (Connection connection = dataSource.getConnection()) {
      assertEquals(owner.role(), queryString(connection, "SELECT current_user"));
      // Flyway hands its own settings over as Properties defaults; they reach pgjdbc.
      assertEquals("Redgate_Flyway", queryString(connection, "SHOW application_name"));
    }
  }

  @Test
  void ourTypeClaimsOurUrlsOnly() {
    assertEquals(
        List.of(PazPazSecretsDatabaseType.class),
        typesFor("jdbc:pazpaz-secrets:pazpaz/database-credentials"));
    assertEquals(
        List.of(PazPazSecretsDatabaseType.class),
        typesFor("jdbc:pazpaz-secrets://db.example.internal:5432/clinic"));

    // flyway-database-postgresql brings CockroachDB's type, which claims these URLs too.
    String plainUrl = postgres().jdbcUrl(DATABASE);
    assertTrue(typesFor(plainUrl).contains(PostgreSQLDatabaseType.class));
    assertFalse(typesFor(plainUrl).contains(PazPazSecretsDatabaseType.class));
    DriverDataSource plain =
        new DriverDataSource(getClass().getClassLoader(), null, plainUrl, "postgres", null);
    assertInstanceOf(Driver.class, plain.getDriver());
  }

  @Test
  void connectionsStillDetectAsPostgres() throws Exception {
    SchemaOwner owner = SchemaOwner.create("flyway_detect");
    try (Connection ours = DriverManager.getConnection(owner.url());
        Connection plain = postgres().adminConnection(DATABASE)) {
      assertEquals(
          PostgreSQLDatabaseType.class,
          DatabaseTypeRegister.getDatabaseTypeForConnection(ours, null).getClass());
      assertEquals(
          PostgreSQLDatabaseType.class,
          DatabaseTypeRegister.getDatabaseTypeForConnection(plain, null).getClass());
    }
  }

  private static List<Class<?>> typesFor(String url) {
    return DatabaseTypeRegister.getDatabaseTypesForUrl(url, null).stream()
        .<Class<?>>map(GeneralDatabaseType::getClass)
        .toList();
  }
}
