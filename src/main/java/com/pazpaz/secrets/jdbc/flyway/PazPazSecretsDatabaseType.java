package com.pazpaz.secrets.jdbc.flyway;

import com.pazpaz.secrets.jdbc.PazPazSecretsDriver;
import java.sql.Connection;
import java.sql.Types;
import java.util.Properties;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.ResourceProvider;
import org.flywaydb.core.api.configuration.Configuration;
import org.flywaydb.core.internal.database.base.BaseDatabaseType;
import org.flywaydb.core.internal.database.base.Database;
import org.flywaydb.core.internal.jdbc.JdbcConnectionFactory;
import org.flywaydb.core.internal.jdbc.StatementInterceptor;
import org.flywaydb.core.internal.parser.Parser;
import org.flywaydb.core.internal.parser.ParsingContext;

/**
 * Lets Flyway open a {@code jdbc:pazpaz-secrets:} URL with no driver setting and no user or
 * password.
 *
 * <p>Flyway looks at a URL twice. Before connecting it asks every database type whether it handles
 * the URL ({@link #handlesJDBCUrl}) and loads the driver that type names ({@link #getDriverClass});
 * it refuses a URL no type claims. After connecting it picks the type again, from the connection's
 * product name ({@link #handlesDatabaseProductNameAndVersion}). This type claims our prefix in the
 * first step and declines in the second, so Flyway's own PostgreSQL type (from {@code
 * flyway-database-postgresql}) runs the migrations on pgjdbc's connection, exactly as for a {@code
 * jdbc:postgresql:} URL. It never claims any other URL or connection.
 *
 * <p>It extends flyway-core's base type, not the PostgreSQL type: Flyway loads every plugin listed
 * on the class path when it starts, and a subclass of a class that is missing would stop Flyway
 * altogether in an application that has our jar but uses Flyway for another database.
 *
 * <p>Listed in {@code META-INF/services/org.flywaydb.core.extensibility.Plugin}, a file only Flyway
 * reads: without Flyway on the class path this class is never loaded.
 */
public class PazPazSecretsDatabaseType extends BaseDatabaseType {

  private static final String PREFIX = PazPazSecretsDriver.URL_PREFIX;
  private static final String POSTGRESQL_SUPPORT =
      "org.flywaydb.database.postgresql.PostgreSQLDatabaseType";

  @Override
  public String getName() {
    return "PostgreSQL (pazpaz-secrets)";
  }

  @Override
  public int getNullType() {
    return Types.NULL;
  }

  @Override
  public boolean handlesJDBCUrl(String url) {
    return url != null && url.startsWith(PREFIX);
  }

  /** Our driver; fails early, with what to add, when Flyway could not migrate PostgreSQL anyway. */
  @Override
  public String getDriverClass(String url, ClassLoader classLoader) {
    try {
      Class.forName(POSTGRESQL_SUPPORT, false, getClass().getClassLoader());
    } catch (ClassNotFoundException e) {
      throw new FlywayException(
          "Flyway needs org.flywaydb:flyway-database-postgresql on the class path to migrate"
              + " PostgreSQL through a "
              + PREFIX
              + " URL",
          e);
    }
    return PazPazSecretsDriver.class.getName();
  }

  /** What Flyway's PostgreSQL type sets for a {@code jdbc:postgresql:} URL. */
  @Override
  public void setDefaultConnectionProps(String url, Properties props, ClassLoader classLoader) {
    props.put("ApplicationName", APPLICATION_NAME);
    props.put("assumeMinServerVersion", "9.1");
  }

  /** Declines: the open connection is pgjdbc's, and Flyway's PostgreSQL type takes it. */
  @Override
  public boolean handlesDatabaseProductNameAndVersion(
      String databaseProductName, String databaseProductVersion, Connection connection) {
    return false;
  }

  // Flyway builds the Database and the Parser from the type it picks for the open connection,
  // which is never this one.

  @Override
  public Database<?> createDatabase(
      Configuration configuration,
      JdbcConnectionFactory jdbcConnectionFactory,
      StatementInterceptor statementInterceptor) {
    throw new UnsupportedOperationException(getName() + " only chooses the driver");
  }

  @Override
  public Parser createParser(
      Configuration configuration,
      ResourceProvider resourceProvider,
      ParsingContext parsingContext) {
    throw new UnsupportedOperationException(getName() + " only chooses the driver");
  }
}
