package com.pazpaz.secrets.jdbc.internal;

import java.lang.System.Logger.Level;
import java.lang.management.ManagementFactory;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.management.InstanceAlreadyExistsException;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * One {@link SecretMetrics} per secret location, each registered as an MXBean on first use and
 * unregistered by {@link #close()}. When a name is taken (the same secret id in another region or
 * driver runtime) an {@code instance=N} key keeps the names apart. JMX failures never fail a
 * connect.
 */
public final class SecretMetricsRegistry implements AutoCloseable {

  public static final String DOMAIN = "com.pazpaz.secrets.jdbc";

  private final MBeanServer server = ManagementFactory.getPlatformMBeanServer();
  private final Map<SecretLocation, SecretMetrics> metrics = new ConcurrentHashMap<>();
  private final Map<SecretLocation, ObjectName> names = new ConcurrentHashMap<>();

  public SecretMetrics of(SecretLocation location) {
    return metrics.computeIfAbsent(location, this::register);
  }

  private SecretMetrics register(SecretLocation location) {
    SecretMetrics created = new SecretMetrics(location);
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
