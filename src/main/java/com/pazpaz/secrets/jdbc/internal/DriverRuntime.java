package com.pazpaz.secrets.jdbc.internal;

import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
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
  private final ExecutorService executor = refreshExecutor();
  private final ExecutorService startup = startupExecutor();
  private final SecretMetricsRegistry metrics = new SecretMetricsRegistry(startup);
  private final SecretCache cache;
  private final Connector connector;
  private final AtomicBoolean prepared = new AtomicBoolean();

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
   * this thread, so meanwhile one background thread loads what its login will need anyway (pgjdbc,
   * TLS, SCRAM) and starts the MBean server for its MXBean.
   */
  public void beforeConnect() {
    if (!prepared.get() && prepared.compareAndSet(false, true)) {
      try {
        startup.execute(
            () -> {
              PgjdbcWarmUp.run();
              metrics.prepare();
            });
      } catch (RejectedExecutionException e) {
        // Closing: the connect does it all itself.
      }
    }
  }

  /** After a successful connect: its secret's MXBean is registered when it returns. */
  public void afterConnect() {
    metrics.awaitRegistrations();
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

  /**
   * One daemon thread, one task after the other, gone a second after the last: the first connect's
   * warm-up and the MXBean registrations, which no idle driver needs a thread for.
   */
  private static ExecutorService startupExecutor() {
    return new ThreadPoolExecutor(
        0,
        1,
        1,
        TimeUnit.SECONDS,
        new LinkedBlockingQueue<>(),
        task -> {
          Thread thread = new Thread(task, "pazpaz-secrets-startup");
          thread.setDaemon(true);
          return thread;
        });
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
