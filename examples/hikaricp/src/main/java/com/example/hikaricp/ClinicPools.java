package com.example.hikaricp;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

/**
 * HikariCP pools whose connections log in with the credentials of an AWS Secrets Manager secret.
 */
public final class ClinicPools {

  private ClinicPools() {}

  /** The URL is the whole configuration: HikariCP finds the driver by its prefix. */
  public static HikariDataSource withJdbcUrl() {
    HikariConfig config = new HikariConfig();
    config.setPoolName("clinic");
    config.setJdbcUrl("jdbc:pazpaz-secrets:pazpaz/database-credentials");
    return new HikariDataSource(config);
  }

  /**
   * The driver's DataSource, configured with bean properties: any of the driver's keys (secretId,
   * region, cacheTtl, ...) and pgjdbc's own (applicationName, ...).
   */
  public static HikariDataSource withDataSourceClassName() {
    HikariConfig config = new HikariConfig();
    config.setPoolName("clinic");
    config.setDataSourceClassName("com.pazpaz.secrets.jdbc.PazPazSecretsDataSource");
    config.addDataSourceProperty("secretId", "pazpaz/database-credentials");
    config.addDataSourceProperty("applicationName", "clinic");
    return new HikariDataSource(config);
  }
}
