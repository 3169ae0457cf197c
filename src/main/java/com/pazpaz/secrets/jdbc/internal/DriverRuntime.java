package com.pazpaz.secrets.jdbc.internal;

import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * What connects share: the Secrets Manager clients, the secret cache and the connector. Nothing
 * here talks to AWS until the first connect.
 */
public final class DriverRuntime implements AutoCloseable {

  private static final class Shared {
    static final DriverRuntime INSTANCE = new DriverRuntime(new SecretsManagerSource());
  }

  private final SecretsManagerSource source;
  private final SecretMetricsRegistry metrics = new SecretMetricsRegistry();
  private final SecretCache cache;
  private final Connector connector;

  public DriverRuntime(SecretsManagerSource source) {
    this.source = source;
    this.cache =
        new SecretCache(
            new ReplicaFallbackReader(source::fetch),
            metrics,
            refreshExecutor(),
            Ticker.systemTicker(),
            Clock.systemUTC());
    this.connector = new Connector(cache);
  }

  /** The runtime of every driver and data source built with a public constructor. */
  public static DriverRuntime shared() {
    return Shared.INSTANCE;
  }

  public Connector connector() {
    return connector;
  }

  public SecretMetrics metrics(SecretLocation location) {
    return cache.metrics(location);
  }

  /** The counters of every secret location this runtime has read, for metrics libraries. */
  public SecretMetricsRegistry metricsRegistry() {
    return metrics;
  }

  /**
   * Closes the SDK clients, forgets cached secrets and unregisters the MXBeans; a later connect
   * starts afresh.
   */
  @Override
  public void close() {
    connector.forgetRememberedLogins();
    cache.invalidateAll();
    source.close();
  }

  /** Background refreshes make blocking HTTP calls, so they get their own daemon threads. */
  private static ExecutorService refreshExecutor() {
    return Executors.newCachedThreadPool(
        task -> {
          Thread thread = new Thread(task, "pazpaz-secrets-refresh");
          thread.setDaemon(true);
          return thread;
        });
  }
}
