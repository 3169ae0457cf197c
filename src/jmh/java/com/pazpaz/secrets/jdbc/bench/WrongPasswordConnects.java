package com.pazpaz.secrets.jdbc.bench;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The secret holds a password PostgreSQL rejects, and it stays wrong: T threads each make C
 * connects with a pause of P ms after each (arguments: T C P; the shape of ConcurrencyTest). Prints
 * how the connects failed, how long it all took, and whether any exception carried the password
 * ({@code bench.wrongPassword}); {@link BenchMain} counts the Secrets Manager calls.
 */
public final class WrongPasswordConnects {

  private WrongPasswordConnects() {}

  public static void main(String[] args) throws Exception {
    int threads = Integer.parseInt(args[0]);
    int connectsPerThread = Integer.parseInt(args[1]);
    long pauseMillis = Long.parseLong(args[2]);
    String password = System.getProperty("bench.wrongPassword", "\u0000");
    BenchDriver driver = BenchDriver.fromSystemProperties();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    long started = System.nanoTime();
    List<Future<List<Throwable>>> futures = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      futures.add(
          pool.submit(
              () -> {
                List<Throwable> mine = new ArrayList<>();
                for (int i = 0; i < connectsPerThread; i++) {
                  try {
                    driver.connect().close();
                  } catch (SQLException | RuntimeException e) {
                    mine.add(e);
                  }
                  Thread.sleep(pauseMillis);
                }
                return mine;
              }));
    }
    List<Throwable> failures = new ArrayList<>();
    for (Future<List<Throwable>> future : futures) {
      failures.addAll(future.get());
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    Map<String, Integer> bySqlState = new TreeMap<>();
    int leaked = 0;
    for (Throwable failure : failures) {
      bySqlState.merge(Failures.sqlState(failure), 1, Integer::sum);
      if (Failures.mentions(failure, password)) {
        leaked++;
      }
    }
    System.out.println(
        String.format(
            Locale.ROOT,
            "RESULT connects=%d failed=%d seconds=%.3f leaked=%d",
            threads * connectsPerThread,
            failures.size(),
            seconds,
            leaked));
    bySqlState.forEach((state, count) -> System.out.println("SQLSTATE " + state + " " + count));
    if (!failures.isEmpty()) {
      System.out.println("FAILURE " + Failures.describe(failures.get(0)));
    }
    System.out.flush();
    System.exit(0);
  }
}
