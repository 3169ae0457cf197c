package com.pazpaz.secrets.jdbc.bench;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * N threads released together make a fresh driver's first connects (argument: N). Prints how many
 * succeeded and how long the slowest took; {@link BenchMain} counts the Secrets Manager calls the
 * burst cost.
 */
public final class ConcurrentFirstConnects {

  private ConcurrentFirstConnects() {}

  public static void main(String[] args) throws Exception {
    int threads = Integer.parseInt(args[0]);
    BenchDriver driver = BenchDriver.fromSystemProperties();
    CyclicBarrier start = new CyclicBarrier(threads);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    List<Future<Connection>> futures = new ArrayList<>();
    long started = System.nanoTime();
    for (int i = 0; i < threads; i++) {
      futures.add(
          pool.submit(
              () -> {
                start.await();
                return driver.connect();
              }));
    }
    int opened = 0;
    int failed = 0;
    String firstFailure = "";
    List<Connection> connections = new ArrayList<>();
    for (Future<Connection> future : futures) {
      try {
        connections.add(future.get());
        opened++;
      } catch (Exception e) {
        failed++;
        if (firstFailure.isEmpty()) {
          firstFailure = Failures.describe(e.getCause() == null ? e : e.getCause());
        }
      }
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    for (Connection connection : connections) {
      try {
        connection.close();
      } catch (SQLException e) {
        // Measured already.
      }
    }
    System.out.println(
        String.format(
            Locale.ROOT, "RESULT opened=%d failed=%d seconds=%.3f", opened, failed, seconds));
    if (!firstFailure.isEmpty()) {
      System.out.println("FAILURE " + firstFailure);
    }
    System.out.flush();
    System.exit(0);
  }
}
