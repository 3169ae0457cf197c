package com.pazpaz.secrets.jdbc.bench;

import com.github.benmanes.caffeine.cache.Ticker;
import com.pazpaz.secrets.jdbc.internal.ConnectionSettings;
import com.pazpaz.secrets.jdbc.internal.Connector;
import com.pazpaz.secrets.jdbc.internal.DatabaseSecret;
import com.pazpaz.secrets.jdbc.internal.FetchedSecret;
import com.pazpaz.secrets.jdbc.internal.LoginPlan;
import com.pazpaz.secrets.jdbc.internal.SecretCache;
import com.pazpaz.secrets.jdbc.internal.SecretLocation;
import com.pazpaz.secrets.jdbc.internal.SecretMetricsRegistry;
import com.pazpaz.secrets.jdbc.internal.SettingsCache;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.Properties;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The driver's own work in a warm connect, without the network login: resolving the settings, the
 * cache lookup and pgjdbc's URL and Properties (the kept {@link LoginPlan}), exactly as {@code
 * PazPazSecretsDriver} and {@code Connector} do before they hand over to pgjdbc. No servers: the
 * secret is read once from memory. {@link #uncachedSettings} is the same work with the settings
 * parsed on every call, as every connect did before {@link SettingsCache}, and so also a new login
 * plan on every call, as before plans were kept. Run with {@code -prof gc} for the allocation per
 * connect ({@link PerConnectWorkRun}).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Benchmark)
public class PerConnectWorkBenchmark {

  /** The URL form the warm-connect benchmarks use: secret id, endpoint and region. */
  static final String URL =
      "jdbc:pazpaz-secrets:bench/per-connect?endpoint=http://127.0.0.1:4566&region=eu-west-1";

  private Path caFile;
  private SettingsCache settingsCache;
  private SecretMetricsRegistry metrics;
  private SecretCache secrets;
  private Connector connector;

  @Setup
  public void setUp() throws IOException {
    caFile = Files.createTempFile("per-connect-ca", ".pem");
    DatabaseSecret credentials =
        new DatabaseSecret(
            "app_user",
            "per-connect-benchmark-password-0123456789",
            "db.internal.example",
            5432,
            "app",
            caFile.toString());
    FetchedSecret fetched = new FetchedSecret(credentials, "v1", Instant.now());
    settingsCache = new SettingsCache(System::getProperty, SettingsCache.PROCESS_ENVIRONMENT);
    metrics = new SecretMetricsRegistry();
    secrets =
        new SecretCache(
            location -> fetched,
            metrics,
            ForkJoinPool.commonPool(),
            Ticker.systemTicker(),
            Clock.systemUTC());
    connector = new Connector(secrets);
  }

  @TearDown
  public void tearDown() throws IOException {
    secrets.invalidateAll();
    Files.deleteIfExists(caFile);
  }

  /** What a warm connect runs before pgjdbc: the driver as it is. */
  @Benchmark
  public Properties perConnect(Blackhole pgjdbcUrl) throws SQLException {
    // A pool hands in its Properties afresh on every connect, often empty.
    return handOver(settingsCache.resolve(URL, new Properties()), pgjdbcUrl);
  }

  /** The same with the settings parsed on every connect. */
  @Benchmark
  public Properties uncachedSettings(Blackhole pgjdbcUrl) throws SQLException {
    return handOver(
        ConnectionSettings.resolve(URL, new Properties(), System::getProperty, System::getenv),
        pgjdbcUrl);
  }

  private Properties handOver(ConnectionSettings settings, Blackhole pgjdbcUrl)
      throws SQLException {
    SecretLocation location = settings.secretLocation();
    FetchedSecret cached = secrets.get(location, settings.cacheTtl());
    LoginPlan plan = connector.plan(settings, location, cached.secret());
    pgjdbcUrl.consume(plan.url());
    return plan.properties();
  }
}
