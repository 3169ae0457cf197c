package com.pazpaz.secrets.jdbc.internal;

import com.pazpaz.secrets.jdbc.ConfigKey;
import java.net.URI;
import java.net.URISyntaxException;
import java.sql.SQLException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Everything one connect needs to know, merged from the URL, the connection Properties, system
 * properties ({@code pazpaz.secrets.KEY}), environment variables and defaults, in that order. An
 * immutable value; {@link #toString()} masks {@code DATABASE_URL} and every password-like property.
 *
 * @param urlEndpoint host, port and database from the {@code //HOST} URL form, or null
 * @param pgjdbcProperties every key that is not the driver's own, for pgjdbc, without {@code
 *     user}/{@code password}
 */
public record ConnectionSettings(
    DeploymentEnvironment environment,
    String secretId,
    String region,
    URI endpoint,
    String awsProfile,
    String versionStage,
    boolean fallbackToDatabaseUrl,
    Duration cacheTtl,
    Duration awsApiCallTimeout,
    String sslmode,
    String sslrootcert,
    String databaseUrl,
    Endpoint urlEndpoint,
    Map<String, String> pgjdbcProperties) {

  private static final String USER = "user";
  private static final String PASSWORD = "password";

  /**
   * @param systemProperties reads a system property, usually {@code System::getProperty}
   * @param environmentVariables reads an environment variable, usually {@code System::getenv}
   */
  public static ConnectionSettings resolve(
      String url,
      Properties info,
      Function<String, String> systemProperties,
      Function<String, String> environmentVariables)
      throws SQLException {
    JdbcUrl jdbcUrl = JdbcUrl.parse(url);
    Map<String, String> properties = stringProperties(info);
    KeyLookup keys =
        new KeyLookup(jdbcUrl.query(), properties, systemProperties, environmentVariables);
    Function<ConfigKey, String> explicit = keys::explicit;
    Function<ConfigKey, String> resolved = keys::resolved;

    String secretId =
        firstNonBlank(
            jdbcUrl.secretId(),
            explicit.apply(ConfigKey.SECRET_ID),
            jdbcUrl.endpoint() != null ? properties.get(USER) : null,
            resolved.apply(ConfigKey.SECRET_ID));
    String region =
        firstNonBlank(
            explicit.apply(ConfigKey.REGION),
            regionOfArn(secretId),
            blankToNull(environmentVariables.apply(ConfigKey.REGION.envVar())),
            // What the AWS CLI reads; the SDK itself would not.
            blankToNull(environmentVariables.apply("AWS_DEFAULT_REGION")));

    return new ConnectionSettings(
        DeploymentEnvironment.parse(resolved.apply(ConfigKey.ENVIRONMENT)),
        secretId,
        region,
        parseEndpoint(resolved.apply(ConfigKey.ENDPOINT)),
        resolved.apply(ConfigKey.AWS_PROFILE),
        resolved.apply(ConfigKey.VERSION_STAGE),
        parseBoolean(ConfigKey.FALLBACK_TO_DATABASE_URL, resolved),
        parseDuration(ConfigKey.CACHE_TTL, resolved),
        parseDuration(ConfigKey.AWS_API_CALL_TIMEOUT, resolved),
        resolved.apply(ConfigKey.SSLMODE),
        resolved.apply(ConfigKey.SSLROOTCERT),
        resolved.apply(ConfigKey.DATABASE_URL),
        jdbcUrl.endpoint(),
        Map.copyOf(keys.passThrough));
  }

  /** Where to read the secret, and the cache key for it. */
  public SecretLocation secretLocation() {
    return new SecretLocation(
        new ClientSettings(region, endpoint, awsProfile, awsApiCallTimeout),
        secretId,
        versionStage);
  }

  /** The key values a URL and Properties would connect with, for getPropertyInfo. */
  public static KeyLookup lookup(
      String url,
      Properties info,
      Function<String, String> systemProperties,
      Function<String, String> environmentVariables)
      throws SQLException {
    Map<String, String> query = JdbcUrl.accepts(url) ? JdbcUrl.parse(url).query() : Map.of();
    return new KeyLookup(query, stringProperties(info), systemProperties, environmentVariables);
  }

  public static Map<String, String> stringProperties(Properties info) {
    Map<String, String> values = new LinkedHashMap<>();
    if (info != null) {
      for (String name : info.stringPropertyNames()) {
        values.put(name, info.getProperty(name));
      }
    }
    return values;
  }

  /** The region of {@code arn:aws:secretsmanager:REGION:ACCOUNT:secret:NAME}, else null. */
  public static String regionOfArn(String secretId) {
    if (secretId == null || !secretId.startsWith("arn:")) {
      return null;
    }
    String[] parts = secretId.split(":", 6);
    return parts.length == 6 ? blankToNull(parts[3]) : null;
  }

  private static URI parseEndpoint(String value) throws SQLException {
    if (value == null) {
      return null;
    }
    try {
      URI uri = new URI(value);
      if (uri.getHost() != null
          && ("http".equalsIgnoreCase(uri.getScheme())
              || "https".equalsIgnoreCase(uri.getScheme()))) {
        return uri;
      }
    } catch (URISyntaxException e) {
      // reported below
    }
    throw invalid(ConfigKey.ENDPOINT, value, "an http(s) URL such as https://vpce-123.example");
  }

  private static boolean parseBoolean(ConfigKey key, Function<ConfigKey, String> resolved)
      throws SQLException {
    String value = resolved.apply(key).trim().toLowerCase(Locale.ROOT);
    if (value.equals("true") || value.equals("false")) {
      return Boolean.parseBoolean(value);
    }
    throw invalid(key, value, "true or false");
  }

  private static Duration parseDuration(ConfigKey key, Function<ConfigKey, String> resolved)
      throws SQLException {
    String value = resolved.apply(key).trim();
    try {
      Duration duration =
          value.matches("\\d+") ? Duration.ofSeconds(Long.parseLong(value)) : Duration.parse(value);
      if (!duration.isNegative()) {
        return duration;
      }
    } catch (DateTimeParseException | NumberFormatException e) {
      // reported below
    }
    throw invalid(key, value, "an ISO-8601 duration such as PT1H or PT30S, or whole seconds");
  }

  private static SQLException invalid(ConfigKey key, String value, String expected) {
    return new SQLException(
        "Invalid value '" + value + "' for " + key.key() + ": expected " + expected,
        SqlStates.CONNECTION_UNABLE_TO_CONNECT);
  }

  private static String firstNonBlank(String... values) {
    for (String value : values) {
      if (blankToNull(value) != null) {
        return value.trim();
      }
    }
    return null;
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value;
  }

  @Override
  public String toString() {
    Map<String, String> shown = new TreeMap<>();
    pgjdbcProperties.forEach(
        (name, value) ->
            shown.put(name, name.toLowerCase(Locale.ROOT).contains(PASSWORD) ? "****" : value));
    return "ConnectionSettings[environment="
        + environment.displayName()
        + ", secretId="
        + secretId
        + ", region="
        + region
        + ", endpoint="
        + endpoint
        + ", awsProfile="
        + awsProfile
        + ", versionStage="
        + versionStage
        + ", fallbackToDatabaseUrl="
        + fallbackToDatabaseUrl
        + ", cacheTtl="
        + cacheTtl
        + ", awsApiCallTimeout="
        + awsApiCallTimeout
        + ", sslmode="
        + sslmode
        + ", sslrootcert="
        + sslrootcert
        + ", databaseUrl="
        + (databaseUrl == null ? null : "****")
        + ", urlEndpoint="
        + urlEndpoint
        + ", pgjdbcProperties="
        + shown
        + "]";
  }

  /**
   * Looks a key up through the layers: URL query, Properties, system property, then environment
   * variable and default. Keys that are not the driver's own are collected for pgjdbc, except a
   * pool's user and password.
   */
  public static final class KeyLookup {
    private final Map<ConfigKey, String> fromUrl = new EnumMap<>(ConfigKey.class);
    private final Map<ConfigKey, String> fromProperties = new EnumMap<>(ConfigKey.class);
    private final Map<String, String> passThrough = new LinkedHashMap<>();
    private final Function<String, String> systemProperties;
    private final Function<String, String> environmentVariables;

    KeyLookup(
        Map<String, String> query,
        Map<String, String> properties,
        Function<String, String> systemProperties,
        Function<String, String> environmentVariables) {
      this.systemProperties = systemProperties;
      this.environmentVariables = environmentVariables;
      split(properties, fromProperties);
      split(query, fromUrl);
    }

    private void split(Map<String, String> source, Map<ConfigKey, String> own) {
      source.forEach(
          (name, value) -> {
            var key = ConfigKey.byKey(name);
            if (key.isPresent()) {
              own.put(key.get(), value);
            } else if (!name.equals(USER) && !name.equals(PASSWORD)) {
              passThrough.put(name, value);
            }
          });
    }

    /** Set by the URL, the Properties or a system property; else null. */
    String explicit(ConfigKey key) {
      return firstNonBlank(
          fromUrl.get(key), fromProperties.get(key), systemProperties.apply(key.systemProperty()));
    }

    /** As {@link #explicit}, then the environment variable, then the default (may be null). */
    public String resolved(ConfigKey key) {
      String value = explicit(key);
      if (value == null && key.envVar() != null) {
        value = blankToNull(environmentVariables.apply(key.envVar()));
      }
      return value != null ? value : key.defaultValue();
    }
  }
}
