package com.pazpaz.secrets.jdbc;

import com.pazpaz.secrets.jdbc.internal.SecretLocation;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Every configuration key of the driver, in one table: its name, environment variable, default and
 * description. Parsing, {@link PazPazSecretsDriver#getPropertyInfo} and the README table all follow
 * this enum; a key that is not listed here passes through to pgjdbc unchanged.
 */
public enum ConfigKey {
  SECRET_ID(
      "secretId",
      "DB_SECRETS_MANAGER_KEY_NAME",
      "pazpaz/database-credentials",
      "Secret name or full ARN holding the database credentials"),
  REGION(
      "region",
      "AWS_REGION",
      null,
      "Secrets Manager region; default: the ARN's region, else the AWS SDK's region chain"),
  ENDPOINT(
      "endpoint",
      "AWS_ENDPOINT_URL_SECRETS_MANAGER",
      null,
      "Secrets Manager endpoint override (VPC endpoint, LocalStack)"),
  FALLBACK_REGIONS(
      "fallbackRegions",
      null,
      null,
      "Comma-separated regions holding replicas of the secret, read in order when the primary"
          + " region fails for a transient reason (network, 5xx, throttling, timeout)"),
  FALLBACK_ENDPOINTS(
      "fallbackEndpoints",
      null,
      null,
      "Endpoint overrides of fallback regions, REGION=URL,REGION=URL (VPC endpoints); a region"
          + " without one uses AWS's endpoint"),
  AWS_PROFILE("awsProfile", "AWS_PROFILE", null, "Named AWS credentials profile"),
  VERSION_STAGE("versionStage", null, SecretLocation.CURRENT, "Secret version stage to read"),
  ENVIRONMENT(
      "environment",
      "ENVIRONMENT",
      "production",
      "local, development, test: credentials from DATABASE_URL; staging, production: Secrets"
          + " Manager"),
  FALLBACK_TO_DATABASE_URL(
      "fallbackToDatabaseUrl",
      null,
      "true",
      "In staging/production, use DATABASE_URL (with a warning) when Secrets Manager cannot be"
          + " read"),
  CACHE_TTL(
      "cacheTtl",
      null,
      "PT1H",
      "How long a fetched secret is used before a background refresh (ISO-8601 or seconds)"),
  SSLMODE(
      "sslmode",
      null,
      null,
      "pgjdbc sslmode; verify-full in staging/production, where disable, allow and prefer are"
          + " refused"),
  SSLROOTCERT(
      "sslrootcert",
      null,
      null,
      "CA file; default: the secret's ssl_cert_path, else /etc/ssl/certs/ca-certificates.crt"),
  DATABASE_URL(
      "databaseUrl",
      "DATABASE_URL",
      null,
      "postgresql://user:pass@host:port/db used in local environments and as the fallback"),
  AWS_API_CALL_TIMEOUT(
      "awsApiCallTimeout",
      null,
      "PT10S",
      "Upper bound of one Secrets Manager call, retries included (ISO-8601 or seconds)");

  /** Prefix of the system properties that set a key JVM-wide, e.g. pazpaz.secrets.region. */
  public static final String SYSTEM_PROPERTY_PREFIX = "pazpaz.secrets.";

  private final String key;
  private final @Nullable String envVar;
  private final @Nullable String defaultValue;
  private final String description;

  ConfigKey(
      String key, @Nullable String envVar, @Nullable String defaultValue, String description) {
    this.key = key;
    this.envVar = envVar;
    this.defaultValue = defaultValue;
    this.description = description;
  }

  /** The name users write in the URL query, Properties or as a DataSource property. */
  public String key() {
    return key;
  }

  /** The environment variable read when no other source sets the key, or null. */
  public @Nullable String envVar() {
    return envVar;
  }

  /** The default, or null when the default depends on other settings. */
  public @Nullable String defaultValue() {
    return defaultValue;
  }

  public String description() {
    return description;
  }

  public String systemProperty() {
    return SYSTEM_PROPERTY_PREFIX + key;
  }

  /** Whether this key holds a secret that must never be shown. */
  boolean isSecret() {
    return this == DATABASE_URL;
  }

  public static Optional<ConfigKey> byKey(String name) {
    return Arrays.stream(values()).filter(k -> k.key.equalsIgnoreCase(name)).findFirst();
  }

  static List<String> keys() {
    return Arrays.stream(values()).map(ConfigKey::key).toList();
  }
}
