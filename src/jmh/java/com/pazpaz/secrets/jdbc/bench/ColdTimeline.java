package com.pazpaz.secrets.jdbc.bench;

import com.github.benmanes.caffeine.cache.Ticker;
import com.pazpaz.secrets.jdbc.internal.ConnectionSettings;
import com.pazpaz.secrets.jdbc.internal.Connector;
import com.pazpaz.secrets.jdbc.internal.FetchedSecret;
import com.pazpaz.secrets.jdbc.internal.SecretCache;
import com.pazpaz.secrets.jdbc.internal.SecretLocation;
import com.pazpaz.secrets.jdbc.internal.SecretMetricsRegistry;
import com.pazpaz.secrets.jdbc.internal.SecretsManagerSource;
import java.sql.Connection;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;

/**
 * Where a fresh JVM's first connect through this driver spends its time, step by step and one after
 * the other (the driver overlaps some of them): settings, the secret cache, building the SDK
 * client, the SDK's default credentials chain, the first {@code GetSecretValue} (HTTP, signing,
 * JSON), starting JMX and registering the secret's MXBean, and the pgjdbc login with the secret
 * (pgjdbc's classes, TLS, SCRAM). Prints one {@code RESULT} line with the milliseconds of each.
 */
public final class ColdTimeline {

  private ColdTimeline() {}

  public static void main(String[] args) throws Exception {
    Map<String, Double> steps = new LinkedHashMap<>();
    long started = System.nanoTime();
    long last = started;

    ConnectionSettings settings = SdkAloneCold.ourSettings();
    SecretLocation location = settings.secretLocation();
    last = step(steps, "settings", last);

    SecretsManagerSource source = new SecretsManagerSource();
    SecretMetricsRegistry metrics = new SecretMetricsRegistry();
    SecretCache cache =
        new SecretCache(
            source::fetch, metrics, Runnable::run, Ticker.systemTicker(), Clock.systemUTC());
    last = step(steps, "cache", last);

    source.client(location.client());
    last = step(steps, "sdkClientBuild", last);

    try (DefaultCredentialsProvider credentials = DefaultCredentialsProvider.builder().build()) {
      credentials.resolveCredentials();
    }
    last = step(steps, "credentialsChain", last);

    FetchedSecret secret = source.fetch(location);
    last = step(steps, "firstGetSecretValue", last);

    metrics.of(location);
    last = step(steps, "jmx", last);

    try (Connection connection = Connector.login(settings, secret.secret(), location.secretId())) {
      last = step(steps, "pgjdbcLogin", last);
    }
    steps.put("total", (last - started) / 1e6);
    cache.invalidateAll();

    StringBuilder line = new StringBuilder("RESULT");
    steps.forEach((name, ms) -> line.append(' ').append(name).append('=').append(format(ms)));
    System.out.println(line);
    System.out.flush();
    System.exit(0);
  }

  private static long step(Map<String, Double> steps, String name, long since) {
    long now = System.nanoTime();
    steps.put(name, (now - since) / 1e6);
    return now;
  }

  private static String format(double ms) {
    return String.format(Locale.ROOT, "%.1f", ms);
  }
}
