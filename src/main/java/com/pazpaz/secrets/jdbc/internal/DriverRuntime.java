package com.pazpaz.secrets.jdbc.internal;

import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Clock;

/**
 * What connects share: the Secrets Manager clients, the secret cache and the connector. Nothing
 * here talks to AWS until the first connect.
 */
public final class DriverRuntime implements AutoCloseable {

  private static final class Shared {
    static final DriverRuntime INSTANCE = new DriverRuntime(new SecretsManagerSource());
  }

  private final SecretsManagerSource source;
  private final RefreshExecutor refreshes = new RefreshExecutor();
  private final SecretCache cache;
  private final Connector connector;

  public DriverRuntime(SecretsManagerSource source) {
    this.source = source;
    this.cache =
        new SecretCache(
            source::fetch,
            new SecretMetricsRegistry(),
            refreshes,
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

  /**
   * Releases everything that could keep this class loader alive: ends the refresh threads (after a
   * read still running, so that it cannot register anything again), forgets cached secrets,
   * unregisters the MXBeans and closes the SDK clients (and with them the SDK's own timer threads).
   * A later connect starts afresh: new clients, threads and MXBeans, which the next close releases
   * again.
   */
  @Override
  public void close() {
    refreshes.close();
    cache.invalidateAll();
    source.close();
  }
}
