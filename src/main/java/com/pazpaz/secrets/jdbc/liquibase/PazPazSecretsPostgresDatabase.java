package com.pazpaz.secrets.jdbc.liquibase;

import com.pazpaz.secrets.jdbc.PazPazSecretsDriver;
import liquibase.database.DatabaseConnection;
import liquibase.database.core.PostgresDatabase;
import org.jspecify.annotations.Nullable;

/**
 * Lets Liquibase open a {@code jdbc:pazpaz-secrets:} URL with no driver setting and no user or
 * password.
 *
 * <p>Liquibase finds the driver for a URL by asking one implementation per short name for its
 * {@link #getDefaultDriver default driver}; this one names our driver for our prefix and nothing
 * for any other URL. Once connected, Liquibase picks the implementation again by asking each
 * whether it {@link #isCorrectDatabaseImplementation fits the connection}; this one always
 * declines, so Liquibase's own {@link PostgresDatabase} works on pgjdbc's connection, exactly as
 * for a {@code jdbc:postgresql:} URL, and {@code dbms="postgresql"} in change logs keeps matching.
 *
 * <p>Its short name is its own: Liquibase keeps only the highest-priority implementation per short
 * name, so sharing {@code postgresql} would either hide this class or hide {@link
 * PostgresDatabase}. Listed in {@code META-INF/services/liquibase.database.Database}, a file only
 * Liquibase reads: without Liquibase on the class path this class is never loaded.
 */
public class PazPazSecretsPostgresDatabase extends PostgresDatabase {

  private static final String PREFIX = PazPazSecretsDriver.URL_PREFIX;

  @Override
  public String getShortName() {
    return "pazpazsecrets";
  }

  @Override
  public @Nullable String getDefaultDriver(String url) {
    return url != null && url.startsWith(PREFIX) ? PazPazSecretsDriver.class.getName() : null;
  }

  /** Declines every connection: the connection is pgjdbc's, and PostgresDatabase takes it. */
  @Override
  public boolean isCorrectDatabaseImplementation(DatabaseConnection connection) {
    return false;
  }
}
