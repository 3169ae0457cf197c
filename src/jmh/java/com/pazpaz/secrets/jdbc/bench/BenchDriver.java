package com.pazpaz.secrets.jdbc.bench;

import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/**
 * The driver a benchmark JVM measures, described by system properties so that the same code runs on
 * every contender's class path: {@code bench.driverClass}, {@code bench.url} and any number of
 * {@code bench.prop.NAME} connection properties. Nothing here names a contender's classes, so a JVM
 * holds only the driver it measures. The same properties under {@code bench.baseline.} describe
 * plain pgjdbc for {@link PairedConnect}.
 *
 * <p>Connections are opened with {@link Driver#connect} on the driver {@link DriverManager} picks
 * for the URL, once: what a pool does with a {@code jdbcUrl}, without {@code DriverManager}'s
 * per-call scan of every registered driver.
 */
final class BenchDriver {

  static final String CONTENDER = "bench.";
  static final String BASELINE = "bench.baseline.";
  static final String DRIVER_CLASS = CONTENDER + "driverClass";
  static final String URL = CONTENDER + "url";
  static final String PROPERTY_PREFIX = CONTENDER + "prop.";

  private final Driver driver;
  private final String url;
  private final Properties properties;

  private BenchDriver(Driver driver, String url, Properties properties) {
    this.driver = driver;
    this.url = url;
    this.properties = properties;
  }

  static BenchDriver fromSystemProperties() throws SQLException {
    return fromSystemProperties(CONTENDER);
  }

  /** The driver described by {@code PREFIXdriverClass}, {@code PREFIXurl}, {@code PREFIXprop.*}. */
  static BenchDriver fromSystemProperties(String prefix) throws SQLException {
    String url = required(prefix + "url");
    try {
      // Some peers register only when their class is loaded (no META-INF/services entry).
      Class.forName(required(prefix + "driverClass"));
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException("driver class not on the class path: " + e.getMessage(), e);
    }
    Properties properties = new Properties();
    String propertyPrefix = prefix + "prop.";
    for (String name : System.getProperties().stringPropertyNames()) {
      if (name.startsWith(propertyPrefix)) {
        properties.setProperty(name.substring(propertyPrefix.length()), System.getProperty(name));
      }
    }
    return new BenchDriver(DriverManager.getDriver(url), url, properties);
  }

  Connection connect() throws SQLException {
    // A copy each time: some drivers write the credentials they fetched into the Properties.
    Properties copy = new Properties();
    copy.putAll(properties);
    Connection connection = driver.connect(url, copy);
    if (connection == null) {
      throw new SQLException(driver.getClass().getName() + " did not accept " + url);
    }
    return connection;
  }

  /** The same driver with {@code from} replaced by {@code to} in the URL and property values. */
  BenchDriver withSecret(String from, String to) {
    Properties replaced = new Properties();
    for (String name : properties.stringPropertyNames()) {
      replaced.setProperty(name, properties.getProperty(name).replace(from, to));
    }
    return new BenchDriver(driver, url.replace(from, to), replaced);
  }

  Driver driver() {
    return driver;
  }

  private static String required(String name) {
    String value = System.getProperty(name);
    if (value == null || value.isEmpty()) {
      throw new IllegalStateException("system property " + name + " is not set");
    }
    return value;
  }
}
