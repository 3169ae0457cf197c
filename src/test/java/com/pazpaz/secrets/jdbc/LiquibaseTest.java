package com.pazpaz.secrets.jdbc;

import static com.pazpaz.secrets.jdbc.DriverTestSupport.DATABASE;
import static com.pazpaz.secrets.jdbc.DriverTestSupport.postgres;
import static com.pazpaz.secrets.jdbc.DriverTestSupport.queryString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pazpaz.secrets.jdbc.liquibase.PazPazSecretsPostgresDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import liquibase.Liquibase;
import liquibase.command.CommandScope;
import liquibase.database.Database;
import liquibase.database.DatabaseFactory;
import liquibase.database.core.PostgresDatabase;
import liquibase.database.jvm.JdbcConnection;
import liquibase.resource.ClassLoaderResourceAccessor;
import liquibase.resource.ResourceAccessor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Liquibase updates through a {@code jdbc:pazpaz-secrets:} URL and nothing else. */
@ExtendWith(NoPasswordsInLogs.class)
class LiquibaseTest {

  @Test
  void updatesWithTheUrlAloneThroughTheJavaApi() throws Exception {
    SchemaOwner owner = SchemaOwner.create("liquibase");
    String url = owner.url();

    // The README's Liquibase snippet (Java API).
    ResourceAccessor changelogs = new ClassLoaderResourceAccessor();
    Database database =
        DatabaseFactory.getInstance().openDatabase(url, null, null, null, changelogs);
    try (Liquibase liquibase = new Liquibase("db/liquibase/changelog.xml", changelogs, database)) {
      liquibase.update();
    }

    // Once connected, Liquibase works with its own PostgreSQL support.
    assertEquals(PostgresDatabase.class, database.getClass());
    assertMigrated(owner);
  }

  @Test
  void updatesWithTheUrlAloneThroughTheUpdateCommand() throws Exception {
    SchemaOwner owner = SchemaOwner.create("liquibase_cmd");
    String url = owner.url();

    // The README's Liquibase snippet (command API).
    new CommandScope("update")
        .addArgumentValue("url", url)
        .addArgumentValue("changelogFile", "db/liquibase/changelog.xml")
        .execute();

    assertMigrated(owner);
  }

  @Test
  void ourImplementationNamesOurDriverForOurUrlsOnly() {
    DatabaseFactory factory = DatabaseFactory.getInstance();
    assertEquals(
        PazPazSecretsDriver.class.getName(),
        factory.findDefaultDriver("jdbc:pazpaz-secrets:pazpaz/database-credentials"));
    assertEquals(
        PazPazSecretsDriver.class.getName(),
        factory.findDefaultDriver("jdbc:pazpaz-secrets://db.example.internal:5432/clinic"));
    assertEquals("org.postgresql.Driver", factory.findDefaultDriver(postgres().jdbcUrl(DATABASE)));
    // Liquibase keeps one implementation per short name: ours must not displace PostgreSQL's.
    assertTrue(
        factory.getImplementedDatabases().stream()
            .anyMatch(database -> database.getClass() == PostgresDatabase.class));
    assertTrue(
        factory.getImplementedDatabases().stream()
            .anyMatch(database -> database instanceof PazPazSecretsPostgresDatabase));
  }

  @Test
  void connectionsStillDetectAsPostgres() throws Exception {
    SchemaOwner owner = SchemaOwner.create("liquibase_detect");
    DatabaseFactory factory = DatabaseFactory.getInstance();
    try (Connection ours = DriverManager.getConnection(owner.url());
        Connection plain = postgres().adminConnection(DATABASE)) {
      assertEquals(
          PostgresDatabase.class,
          factory.findCorrectDatabaseImplementation(new JdbcConnection(ours)).getClass());
      assertEquals(
          PostgresDatabase.class,
          factory.findCorrectDatabaseImplementation(new JdbcConnection(plain)).getClass());
    }
  }

  private static void assertMigrated(SchemaOwner owner) throws Exception {
    try (Connection connection = DriverManager.getConnection(owner.url())) {
      // Inserted by a changeSet with dbms="postgresql": it ran, so the dbms matched.
      assertEquals("Ada Lovelace", queryString(connection, "SELECT patient FROM appointment"));
      assertEquals("2", queryString(connection, "SELECT count(*) FROM databasechangelog"));
    }
  }
}
