package com.pazpaz.secrets.jdbc.bench;

import java.sql.Connection;
import java.util.Locale;

/**
 * A fresh JVM's first connect: from the first line of {@code main} to an open connection, so class
 * loading, the AWS SDK's start-up, the first Secrets Manager call, TLS and SCRAM are all in it. It
 * also prints the CPU time the process had used by then. {@link BenchMain} times the whole process
 * too and, in a separate run, counts the classes it loads ({@code -Xlog:class+load}).
 */
public final class ColdConnect {

  private ColdConnect() {}

  public static void main(String[] args) throws Exception {
    long started = System.nanoTime();
    BenchDriver driver = BenchDriver.fromSystemProperties();
    try (Connection connection = driver.connect()) {
      long connected = System.nanoTime();
      System.out.println(
          String.format(Locale.ROOT, "RESULT connectMs=%.3f", (connected - started) / 1e6)
              + ProcessCpu.resultField());
      System.out.println("CLASS " + connection.getClass().getName());
    }
    System.out.flush();
    // Some drivers leave non-daemon threads behind (HTTP client pools, monitors).
    System.exit(0);
  }
}
