package com.pazpaz.secrets.jdbc.internal;

import java.lang.System.Logger.Level;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
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
 */
public final class SecretMetricsRegistry implements AutoCloseable {

  public static final String DOMAIN = "com.pazpaz.secrets.jdbc";

  private final MBeanServer server = ManagementFactory.getPlatformMBeanServer();
  private final Map<SecretLocation, SecretMetrics> metrics = new ConcurrentHashMap<>();
  private final Map<SecretLocation, ObjectName> names = new ConcurrentHashMap<>();
  private final List<Consumer<SecretMetrics>> watchers = new CopyOnWriteArrayList<>();
  private final Clock clock = Clock.systemUTC();

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
              return register(key);
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

  private SecretMetrics register(SecretLocation location) {
    SecretMetrics created = new SecretMetrics(location, clock);
    for (int instance = 1; instance < 100; instance++) {
      try {
        ObjectName name = objectName(location.secretId(), instance);
        server.registerMBean(created, name);
        names.put(location, name);
        return created;
      } catch (InstanceAlreadyExistsException taken) {
        // try the next instance number
      } catch (JMException | RuntimeException e) {
        Logging.LOGGER.log(
            Level.DEBUG,
            Logging.event("jmx_registration_failed", "secret", location.secretId()),
            e);
        return created;
      }
    }
    return created;
  }

  public static ObjectName objectName(String secretId, int instance) throws JMException {
    String name = DOMAIN + ":type=Secret,name=" + ObjectName.quote(secretId);
    return new ObjectName(instance == 1 ? name : name + ",instance=" + instance);
  }

  @Override
  public void close() {
    names
        .values()
        .forEach(
            name -> {
              try {
                server.unregisterMBean(name);
              } catch (JMException e) {
                // already gone
              }
            });
    names.clear();
    metrics.clear();
  }
}
