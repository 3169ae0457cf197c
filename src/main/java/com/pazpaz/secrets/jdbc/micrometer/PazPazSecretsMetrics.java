package com.pazpaz.secrets.jdbc.micrometer;

import com.pazpaz.secrets.jdbc.internal.DriverRuntime;
import com.pazpaz.secrets.jdbc.internal.SecretLocation;
import com.pazpaz.secrets.jdbc.internal.SecretMetrics;
import com.pazpaz.secrets.jdbc.internal.SecretMetricsRegistry;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.function.ToDoubleFunction;
import org.jspecify.annotations.Nullable;

/**
 * The driver's per-secret counters as Micrometer meters, tagged {@code secret} (the secret id) and
 * {@code stage} (the version stage read, {@code AWSCURRENT} unless configured):
 *
 * <ul>
 *   <li>{@value #API_CALLS}: {@code GetSecretValue} calls, successful or not;
 *   <li>{@value #FETCHES}: successful reads; {@value #FETCH_FAILURES}: failed or unusable ones;
 *   <li>{@value #LOGINS_REJECTED}: logins PostgreSQL rejected with the secret's credentials;
 *   <li>{@value #LOGINS_RESCUED}: logins that succeeded only with the AWSPENDING version;
 *   <li>{@value #STALE_SERVES}: connects served with a value older than {@code cacheTtl};
 *   <li>{@value #VERSION_AGE}: a gauge, days since the cached version was created, that is since
 *       the last rotation.
 * </ul>
 *
 * <p>Secrets the driver reads after {@link #bindTo} get their meters when they are first read. The
 * meters read the counters the JMX {@code SecretMXBean}s show; binding costs the connect path
 * nothing. Bind once per registry: Spring Boot does it by itself (the auto-configuration {@code
 * com.pazpaz.secrets.jdbc.spring.PazPazSecretsMetricsAutoConfiguration}); elsewhere {@code new
 * PazPazSecretsMetrics().bindTo(registry)}.
 */
public final class PazPazSecretsMetrics implements MeterBinder {

  public static final String API_CALLS = "pazpaz.secrets.api.calls";
  public static final String FETCHES = "pazpaz.secrets.fetches";
  public static final String FETCH_FAILURES = "pazpaz.secrets.fetch.failures";
  public static final String LOGINS_REJECTED = "pazpaz.secrets.logins.rejected";
  public static final String LOGINS_RESCUED = "pazpaz.secrets.logins.rescued";
  public static final String STALE_SERVES = "pazpaz.secrets.stale.serves";
  public static final String VERSION_AGE = "pazpaz.secrets.version.age";

  private final SecretMetricsRegistry secrets;

  /** The meters of every driver and data source built with a public constructor. */
  public PazPazSecretsMetrics() {
    this(DriverRuntime.shared());
  }

  /** The meters of one driver runtime (an isolated driver in a test). */
  PazPazSecretsMetrics(DriverRuntime runtime) {
    this.secrets = runtime.metricsRegistry();
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    secrets.watch(metrics -> register(registry, metrics.location()));
  }

  /** Registering an existing meter again returns it, so a location handed over twice is fine. */
  private void register(MeterRegistry registry, SecretLocation location) {
    Tags tags = Tags.of("secret", location.secretId(), "stage", location.versionStage());
    counter(
        registry,
        API_CALLS,
        "GetSecretValue calls, failed ones included",
        tags,
        location,
        SecretMetrics::getApiCalls);
    counter(
        registry, FETCHES, "Successful secret reads", tags, location, SecretMetrics::getFetches);
    counter(
        registry,
        FETCH_FAILURES,
        "Secret reads that failed or returned an unusable secret",
        tags,
        location,
        SecretMetrics::getFailedFetches);
    counter(
        registry,
        LOGINS_REJECTED,
        "Logins PostgreSQL rejected with the secret's credentials",
        tags,
        location,
        SecretMetrics::getRejectedLogins);
    counter(
        registry,
        LOGINS_RESCUED,
        "Logins that succeeded only with the AWSPENDING version",
        tags,
        location,
        SecretMetrics::getLoginsRescuedByPending);
    counter(
        registry,
        STALE_SERVES,
        "Connects served with a value older than cacheTtl",
        tags,
        location,
        SecretMetrics::getStaleServes);
    Gauge.builder(VERSION_AGE, secrets, value(location, SecretMetrics::getCurrentVersionAgeDays))
        .description("Days since the cached secret version was created (last rotation)")
        .baseUnit("days")
        .tags(tags)
        .register(registry);
  }

  private void counter(
      MeterRegistry registry,
      String name,
      String description,
      Tags tags,
      SecretLocation location,
      ToDoubleFunction<SecretMetrics> count) {
    FunctionCounter.builder(name, secrets, value(location, count))
        .description(description)
        .tags(tags)
        .register(registry);
  }

  /**
   * Reads through the registry rather than one {@link SecretMetrics}: when the driver is
   * deregistered and used again, the location's counters are new objects behind the same meters.
   */
  private static ToDoubleFunction<SecretMetricsRegistry> value(
      SecretLocation location, ToDoubleFunction<SecretMetrics> read) {
    return registry -> {
      @Nullable SecretMetrics metrics = registry.find(location);
      return metrics == null ? Double.NaN : read.applyAsDouble(metrics);
    };
  }
}
