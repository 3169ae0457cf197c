package com.pazpaz.secrets.jdbc.internal;

import static java.util.Objects.requireNonNull;

import com.pazpaz.secrets.jdbc.ConfigKey;
import java.net.URI;
import java.net.URISyntaxException;
import java.sql.SQLException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Everything one connect needs to know, merged from the URL, the connection Properties, system
 * properties ({@code pazpaz.secrets.KEY}), environment variables and defaults, in that order. An
 * immutable value; {@link #toString()} masks {@code DATABASE_URL} and every password-like property.
 *
 * @param replicaRegions the fallback regions, in the order they are tried; empty when none
 * @param urlEndpoint host, port and database from the {@code //HOST} URL form, or null
 * @param pgjdbcProperties every key that is not the driver's own, for pgjdbc, without {@code
 *     user}/{@code password}
 */
public record ConnectionSettings(
    DeploymentEnvironment environment,
    String secretId,
    @Nullable String region,
    @Nullable URI endpoint,
    List<ReplicaRegion> replicaRegions,
    @Nullable String awsProfile,
    String versionStage,
    boolean fallbackToDatabaseUrl,
    Duration cacheTtl,
    Duration awsApiCallTimeout,
    @Nullable String sslmode,
    @Nullable String sslrootcert,
    @Nullable String databaseUrl,
    @Nullable Endpoint urlEndpoint,
    Map<String, String> pgjdbcProperties) {

  private static final String USER = "user";
  private static final String PASSWORD = "password";

  /** us-west-2, eu-central-1, us-gov-west-1, cn-north-1, ... */
  private static final Pattern REGION_NAME = Pattern.compile("[a-z]{2}(-[a-z]+)+-\\d+");

  /**
   * Resolves every key: URL query, then Properties, then system properties, then environment
   * variables, then defaults.
   *
   * @param systemProperties reads a system property, usually {@code System::getProperty}
   * @param environmentVariables reads an environment variable, usually {@code System::getenv}
   */
  public static ConnectionSettings resolve(
      String url,
      @Nullable Properties info,
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
        requireNonNull(
            firstNonBlank(
                jdbcUrl.secretId(),
                explicit.apply(ConfigKey.SECRET_ID),
                jdbcUrl.endpoint() != null ? properties.get(USER) : null,
                resolved.apply(ConfigKey.SECRET_ID)),
            "secretId has a default");
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
        parseEndpoint(ConfigKey.ENDPOINT, resolved.apply(ConfigKey.ENDPOINT)),
        parseReplicaRegions(
            resolved.apply(ConfigKey.FALLBACK_REGIONS),
            resolved.apply(ConfigKey.FALLBACK_ENDPOINTS),
            region),
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
        versionStage,
        replicaRegions);
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

  public static Map<String, String> stringProperties(@Nullable Properties info) {
    Map<String, String> values = new LinkedHashMap<>();
    if (info != null) {
      for (String name : info.stringPropertyNames()) {
        values.put(name, info.getProperty(name));
      }
    }
    return values;
  }

  /** The region of {@code arn:aws:secretsmanager:REGION:ACCOUNT:secret:NAME}, else null. */
  public static @Nullable String regionOfArn(@Nullable String secretId) {
    if (secretId == null || !secretId.startsWith("arn:")) {
      return null;
    }
    String[] parts = secretId.split(":", 6);
    return parts.length == 6 ? blankToNull(parts[3]) : null;
  }

  /**
   * {@code us-west-2,eu-west-1} and {@code us-west-2=https://vpce-...,eu-west-1=https://...}: every
   * region once, none the primary, and an endpoint only for a listed region.
   */
  private static List<ReplicaRegion> parseReplicaRegions(
      @Nullable String regions, @Nullable String endpoints, @Nullable String primaryRegion)
      throws SQLException {
    Map<String, URI> endpointByRegion = parseReplicaEndpoints(endpoints);
    if (regions == null) {
      if (!endpointByRegion.isEmpty()) {
        throw invalid(
            ConfigKey.FALLBACK_ENDPOINTS,
            endpoints,
            "endpoints of regions listed in fallbackRegions, which is not set");
      }
      return List.of();
    }
    Set<String> seen = new LinkedHashSet<>();
    for (String item : regions.split(",", -1)) {
      String replica = item.trim();
      if (!REGION_NAME.matcher(replica).matches()) {
        throw invalid(
            ConfigKey.FALLBACK_REGIONS,
            regions,
            "comma-separated AWS region names such as us-west-2,eu-west-1 ('"
                + replica
                + "' is not one)");
      }
      if (replica.equals(primaryRegion)) {
        throw invalid(
            ConfigKey.FALLBACK_REGIONS,
            regions,
            "regions other than the primary region " + primaryRegion);
      }
      if (!seen.add(replica)) {
        throw invalid(
            ConfigKey.FALLBACK_REGIONS, regions, "each region once (" + replica + " repeats)");
      }
    }
    for (String region : endpointByRegion.keySet()) {
      if (!seen.contains(region)) {
        throw invalid(
            ConfigKey.FALLBACK_ENDPOINTS,
            endpoints,
            "endpoints of regions listed in fallbackRegions (" + region + " is not)");
      }
    }
    List<ReplicaRegion> replicas = new ArrayList<>();
    for (String region : seen) {
      replicas.add(new ReplicaRegion(region, endpointByRegion.get(region)));
    }
    return List.copyOf(replicas);
  }

  private static Map<String, URI> parseReplicaEndpoints(@Nullable String endpoints)
      throws SQLException {
    Map<String, URI> byRegion = new LinkedHashMap<>();
    if (endpoints == null) {
      return byRegion;
    }
    for (String item : endpoints.split(",", -1)) {
      int equals = item.indexOf('=');
      String region = equals < 0 ? "" : item.substring(0, equals).trim();
      if (!REGION_NAME.matcher(region).matches()) {
        throw invalid(
            ConfigKey.FALLBACK_ENDPOINTS,
            endpoints,
            "REGION=URL pairs separated by commas, such as"
                + " us-west-2=https://vpce-123.secretsmanager.us-west-2.vpce.amazonaws.com");
      }
      URI endpoint = parseEndpoint(ConfigKey.FALLBACK_ENDPOINTS, item.substring(equals + 1).trim());
      if (byRegion.put(region, endpoint) != null) {
        throw invalid(
            ConfigKey.FALLBACK_ENDPOINTS, endpoints, "one endpoint per region (" + region + ")");
      }
    }
    return byRegion;
  }

  private static @Nullable URI parseEndpoint(ConfigKey key, @Nullable String value)
      throws SQLException {
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
    throw invalid(key, value, "an http(s) URL such as https://vpce-123.example");
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

  private static SQLException invalid(ConfigKey key, @Nullable String value, String expected) {
    return new SQLException(
        "Invalid value '" + value + "' for " + key.key() + ": expected " + expected,
        SqlStates.CONNECTION_UNABLE_TO_CONNECT);
  }

  private static @Nullable String firstNonBlank(@Nullable String... values) {
    for (String value : values) {
      if (blankToNull(value) != null) {
        return value.trim();
      }
    }
    return null;
  }

  private static @Nullable String blankToNull(@Nullable String value) {
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
        + ", replicaRegions="
        + replicaRegions
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
    @Nullable String explicit(ConfigKey key) {
      return firstNonBlank(
          fromUrl.get(key), fromProperties.get(key), systemProperties.apply(key.systemProperty()));
    }

    /** As {@link #explicit}, then the environment variable, then the default (may be null). */
    public @Nullable String resolved(ConfigKey key) {
      String value = explicit(key);
      if (value == null && key.envVar() != null) {
        value = blankToNull(environmentVariables.apply(key.envVar()));
      }
      return value != null ? value : key.defaultValue();
    }
  }
}
