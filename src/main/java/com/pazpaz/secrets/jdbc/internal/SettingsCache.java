package com.pazpaz.secrets.jdbc.internal;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * {@link ConnectionSettings#resolve} once per unchanged input instead of on every connect: a pool
 * connects with the same URL and Properties again and again, and parsing them (URL decoding,
 * durations, the endpoint URI, the key table) is most of the driver's own per-connect work.
 *
 * <p>An entry remembers the URL, the Properties and every system property and environment variable
 * that resolving read, with the value it saw. It is reused only while all of them still read the
 * same, so a changed {@code pazpaz.secrets.*} property takes effect on the next connect, as without
 * the cache (the process's own environment cannot change, so it is not read again). Invalid
 * settings are never cached: they fail every time.
 */
public final class SettingsCache {

  /** URLs remembered at most; a program that makes up more URLs than this starts over. */
  static final int MAX_URLS = 64;

  /**
   * The process's environment variables. They cannot change while the JVM runs, so a cache given
   * this lookup does not read them again on every connect (tests hand in lookups that do change).
   */
  public static final Function<String, String> PROCESS_ENVIRONMENT = System::getenv;

  private static final String[] NO_PROPERTIES = new String[0];

  private final Function<String, String> systemProperties;
  private final Function<String, String> environmentVariables;
  private final boolean environmentFixed;
  private final Map<String, Entry> byUrl = new ConcurrentHashMap<>();

  /**
   * A cache whose entries are checked against these sources.
   *
   * @param systemProperties reads a system property, usually {@code System::getProperty}
   * @param environmentVariables reads an environment variable, usually {@link #PROCESS_ENVIRONMENT}
   */
  public SettingsCache(
      Function<String, String> systemProperties, Function<String, String> environmentVariables) {
    this.systemProperties = systemProperties;
    this.environmentVariables = environmentVariables;
    this.environmentFixed = environmentVariables == PROCESS_ENVIRONMENT;
  }

  /** What {@link ConnectionSettings#resolve} returns for these inputs now. */
  public ConnectionSettings resolve(String url, @Nullable Properties info) throws SQLException {
    String[] properties = flatten(info);
    Entry entry = byUrl.get(url);
    if (entry != null
        && entry.matches(properties, systemProperties)
        && (environmentFixed || entry.environmentUnchanged(environmentVariables))) {
      return entry.settings;
    }
    Reads systemReads = new Reads(systemProperties);
    Reads environmentReads = new Reads(environmentVariables);
    ConnectionSettings settings =
        ConnectionSettings.resolve(url, info, systemReads, environmentReads);
    if (byUrl.size() >= MAX_URLS) {
      byUrl.clear();
    }
    byUrl.put(url, new Entry(properties, systemReads.seen(), environmentReads.seen(), settings));
    return settings;
  }

  /** The Properties as name, value, name, value... in iteration order, defaults included. */
  private static String[] flatten(@Nullable Properties info) {
    if (info == null || info.isEmpty()) {
      return NO_PROPERTIES;
    }
    List<String> flat = new ArrayList<>();
    for (String name : info.stringPropertyNames()) {
      flat.add(name);
      flat.add(info.getProperty(name));
    }
    return flat.toArray(String[]::new);
  }

  /** Records each name looked up and the value it had, in order. */
  private static final class Reads implements Function<String, String> {
    private final Function<String, String> source;
    private final List<@Nullable String> seen = new ArrayList<>();

    Reads(Function<String, String> source) {
      this.source = source;
    }

    @Override
    public @Nullable String apply(String name) {
      String value = source.apply(name);
      seen.add(name);
      seen.add(value);
      return value;
    }

    @Nullable String[] seen() {
      return seen.toArray(new String[0]);
    }
  }

  private static final class Entry {
    private final String[] properties;
    private final @Nullable String[] systemReads;
    private final @Nullable String[] environmentReads;
    private final ConnectionSettings settings;

    Entry(
        String[] properties,
        @Nullable String[] systemReads,
        @Nullable String[] environmentReads,
        ConnectionSettings settings) {
      this.properties = properties;
      this.systemReads = systemReads;
      this.environmentReads = environmentReads;
      this.settings = settings;
    }

    boolean matches(String[] properties, Function<String, String> systemProperties) {
      return Arrays.equals(this.properties, properties) && unchanged(systemReads, systemProperties);
    }

    boolean environmentUnchanged(Function<String, String> environmentVariables) {
      return unchanged(environmentReads, environmentVariables);
    }

    private static boolean unchanged(@Nullable String[] reads, Function<String, String> source) {
      for (int i = 0; i < reads.length; i += 2) {
        if (!Objects.equals(reads[i + 1], source.apply(reads[i]))) {
          return false;
        }
      }
      return true;
    }
  }
}
