package com.pazpaz.secrets.jdbc.internal;

import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What connects share: the Secrets Manager clients, the secret cache and the connector. Nothing
 * here talks to AWS until the first connect.
 */
public final class DriverRuntime implements AutoCloseable {

  private static final class Shared {
    static final DriverRuntime INSTANCE = new DriverRuntime(new SecretsManagerSource());
  }

  private final SecretsManagerSource source;
  // Reads, refreshes, the first connect's warm-up and the MXBean registrations: one pool that
  // close() empties, so that nothing outlives a deregistration.
  private final RefreshExecutor executor = new RefreshExecutor();
  private final SecretMetricsRegistry metrics = new SecretMetricsRegistry(executor);
  private final SecretCache cache;
  private final Connector connector;
  private final AtomicBoolean prepared = new AtomicBoolean();
  private final FirstConnectWarmUp warmUp = new FirstConnectWarmUp();

  public DriverRuntime(SecretsManagerSource source) {
    this.source = source;
    this.cache =
        new SecretCache(
            new ReplicaFallbackReader(source::fetch),
            metrics,
            executor,
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

  /**
   * Before a connect through the driver. The first one spends most of its time in the AWS SDK on
   * this thread, so meanwhile one background thread loads what the SDK and the login will need
   * anyway (the trust store, TLS, pgjdbc) and starts the MBean server for its MXBean. Every call is
   * followed by {@link #connectEnded}.
   */
  public void beforeConnect() {
    if (!prepared.get() && prepared.compareAndSet(false, true)) {
      executor.execute(
          () -> {
            warmUp.run();
            metrics.prepare();
          });
    }
  }

  /** After a successful connect: its secret's MXBean is registered when it returns. */
  public void afterConnect() {
    metrics.awaitRegistrations();
  }

  /** After a connect, successful or not: the warm-up lets go of what it kept for the first one. */
  public void connectEnded() {
    warmUp.finished();
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
    executor.close();
    connector.forgetLogins();
    cache.invalidateAll();
    source.close();
  }
}
