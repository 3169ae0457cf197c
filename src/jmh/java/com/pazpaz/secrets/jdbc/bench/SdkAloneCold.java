package com.pazpaz.secrets.jdbc.bench;

import com.pazpaz.secrets.jdbc.internal.ConnectionSettings;
import com.pazpaz.secrets.jdbc.internal.SecretLocation;
import com.pazpaz.secrets.jdbc.internal.SecretsManagerSource;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Properties;

/**
 * The floor under our cold first connect: a fresh JVM that only builds the AWS SDK client and makes
 * the first {@code GetSecretValue}, the way the driver does, with no cache, no JMX, no warm-up and
 * no login. Whatever the driver overlaps, its first connect waits for this, and then logs in.
 */
public final class SdkAloneCold {

  private SdkAloneCold() {}

  public static void main(String[] args) throws Exception {
    long started = System.nanoTime();
    SecretLocation location = ourSettings().secretLocation();
    try (SecretsManagerSource source = new SecretsManagerSource()) {
      source.fetch(location);
      long fetched = System.nanoTime();
      System.out.println(
          String.format(Locale.ROOT, "RESULT connectMs=%.3f", (fetched - started) / 1e6)
              + ProcessCpu.resultField());
    }
    System.out.flush();
    System.exit(0);
  }

  /** Our settings for the bench URL, resolved as the driver resolves them (no Properties). */
  static ConnectionSettings ourSettings() throws SQLException {
    return ConnectionSettings.resolve(
        System.getProperty(BenchDriver.URL), new Properties(), System::getProperty, System::getenv);
  }
}
