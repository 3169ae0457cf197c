package com.pazpaz.secrets.jdbc.internal;

import java.lang.System.Logger.Level;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import javax.management.InstanceAlreadyExistsException;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.jspecify.annotations.Nullable;

/**
 * One {@link SecretMetrics} per secret location, each registered as an MXBean on first use and
 * unregistered by {@link #close()}. When a name is taken (the same secret id in another region or
 * driver runtime) an {@code instance=N} key keeps the names apart. JMX failures never fail a
 * connect. {@link #watch} hands each location's metrics to a metrics library as it appears.
 *
 * <p>Starting the platform MBean server loads about a thousand JDK classes, more than a first
 * connect needs for anything else but the AWS SDK. So the server is started and the MXBeans are
 * registered on the executor, while the first connect reads the secret and logs in; {@link
 * #awaitRegistrations()} lets that connect return only once its MXBean is visible.
 */
public final class SecretMetricsRegistry implements AutoCloseable {

  public static final String DOMAIN = "com.pazpaz.secrets.jdbc";

  private final Executor executor;
  private final Map<SecretLocation, SecretMetrics> metrics = new ConcurrentHashMap<>();
  private final Map<SecretLocation, ObjectName> names = new ConcurrentHashMap<>();
  private final Map<SecretLocation, CompletableFuture<Void>> registrations =
      new ConcurrentHashMap<>();
  private final List<Consumer<SecretMetrics>> watchers = new CopyOnWriteArrayList<>();
  private final Clock clock = Clock.systemUTC();
  private @Nullable CompletableFuture<MBeanServer> server;

  /** Registers on the calling thread. */
  public SecretMetricsRegistry() {
    this(Runnable::run);
  }

  /**
   * Registers on the executor.
   *
   * @param executor where the MBean server is started and MXBeans are registered
   */
  public SecretMetricsRegistry(Executor executor) {
    this.executor = executor;
  }

  public SecretMetrics of(SecretLocation location) {
    SecretMetrics existing = metrics.get(location);
    if (existing != null) {
      return existing;
    }
    AtomicBoolean created = new AtomicBoolean();
    SecretMetrics result =
        metrics.computeIfAbsent(
            location,
            key -> {
              created.set(true);
              return registerLater(key);
            });
    if (created.get()) {
      // Outside computeIfAbsent: a watcher runs foreign code (a meter registry's locks).
      watchers.forEach(watcher -> watcher.accept(result));
    }
    return result;
  }

  /** The metrics of a location that has been read, or null; never creates them. */
  public @Nullable SecretMetrics find(SecretLocation location) {
    return metrics.get(location);
  }

  /**
   * Calls {@code watcher} with the metrics of every location known now and of each one created
   * later. A location created while this runs may be handed over twice: watchers must be
   * idempotent.
   */
  public void watch(Consumer<SecretMetrics> watcher) {
    watchers.add(watcher);
    metrics.values().forEach(watcher);
  }

  /**
   * Starts the platform MBean server on the calling thread, unless it is started already: for a
   * background thread that prepares the first connect.
   */
  public void prepare() {
    // Started here, so the future is already complete; a failure shows when MXBeans register.
    CompletableFuture<MBeanServer> unused = server(true);
  }

  /** Waits until every MXBean created so far is registered (or has failed to register). */
  public void awaitRegistrations() {
    for (CompletableFuture<Void> registration : registrations.values()) {
      registration.join();
    }
  }

  private CompletableFuture<MBeanServer> server(boolean here) {
    CompletableFuture<MBeanServer> created;
    synchronized (this) {
      CompletableFuture<MBeanServer> existing = server;
      if (existing != null) {
        return existing;
      }
      created = new CompletableFuture<>();
      server = created;
    }
    Runnable start =
        () -> {
          try {
            created.complete(ManagementFactory.getPlatformMBeanServer());
          } catch (RuntimeException | Error e) {
            created.completeExceptionally(e);
          }
        };
    if (here) {
      start.run();
    } else {
      execute(start);
    }
    return created;
  }

  /** On the executor; on this thread when the executor takes no more work (shut down). */
  private void execute(Runnable task) {
    try {
      executor.execute(task);
    } catch (RejectedExecutionException e) {
      task.run();
    }
  }

  private SecretMetrics registerLater(SecretLocation location) {
    SecretMetrics created = new SecretMetrics(location, clock);
    registrations.put(
        location,
        server(false)
            .thenAcceptAsync(mbeans -> register(mbeans, location, created), this::execute)
            .exceptionally(
                failure -> {
                  logFailure(location, failure);
                  return null;
                }));
    return created;
  }

  private void register(MBeanServer server, SecretLocation location, SecretMetrics created) {
    for (int instance = 1; instance < 100; instance++) {
      try {
        ObjectName name = objectName(location.secretId(), instance);
        server.registerMBean(created, name);
        names.put(location, name);
        return;
      } catch (InstanceAlreadyExistsException taken) {
        // try the next instance number
      } catch (JMException | RuntimeException e) {
        logFailure(location, e);
        return;
      }
    }
  }

  private static void logFailure(SecretLocation location, Throwable failure) {
    Logging.LOGGER.log(
        Level.DEBUG,
        Logging.event("jmx_registration_failed", "secret", location.secretId()),
        failure);
  }

  public static ObjectName objectName(String secretId, int instance) throws JMException {
    String name = DOMAIN + ":type=Secret,name=" + ObjectName.quote(secretId);
    return new ObjectName(instance == 1 ? name : name + ",instance=" + instance);
  }

  @Override
  public void close() {
    awaitRegistrations();
    CompletableFuture<MBeanServer> started;
    synchronized (this) {
      started = server;
    }
    // A name is only recorded once its registration succeeded, so the server is there.
    if (started != null && !names.isEmpty()) {
      MBeanServer mbeans = started.join();
      for (ObjectName name : names.values()) {
        try {
          mbeans.unregisterMBean(name);
        } catch (JMException e) {
          // already gone
        }
      }
    }
    names.clear();
    registrations.clear();
    metrics.clear();
  }
}
