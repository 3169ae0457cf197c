package com.pazpaz.secrets.jdbc;

import static com.pazpaz.secrets.jdbc.DriverTestSupport.secretsManager;
import static com.pazpaz.secrets.jdbc.DriverTestSupport.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** No refresh storms, however many connects arrive at once. */
@ExtendWith(NoPasswordsInLogs.class)
@Timeout(120)
class ConcurrencyTest {

  @Test
  void sixtyFourSimultaneousFirstConnectsShareOneGetSecretValue() throws Exception {
    TestDeployment app =
        TestDeployment.builder("herd").secretId(unique("thundering-herd")).create();
    PazPazSecretsDriver driver = app.driver();
    int threads = 64;
    CyclicBarrier start = new CyclicBarrier(threads);

    List<Connection> connections =
        runConcurrently(
            threads,
            () -> {
              start.await();
              return driver.connect(app.url(), new Properties());
            });
    try {
      assertEquals(threads, connections.size());
      assertEquals(1, secretsManager().calls("GetSecretValue", app.secretId()));
    } finally {
      for (Connection connection : connections) {
        connection.close();
      }
    }
  }

  @Test
  void passwordThatStaysWrongCostsAtMostAboutOneApiCallPerSecond() throws Exception {
    TestDeployment app = TestDeployment.builder("stays_wrong").secretWithWrongPassword().create();
    String secret = app.secretId();
    String wrongPassword = app.storedSecret().password();
    PazPazSecretsDriver driver = app.driver();
    int threads = 8;
    int connectsPerThread = 25;

    long started = System.nanoTime();
    List<SQLException> failures =
        runConcurrently(
                threads,
                () -> {
                  List<SQLException> mine = new ArrayList<>();
                  for (int i = 0; i < connectsPerThread; i++) {
                    try {
                      driver.connect(app.url(), new Properties()).close();
                    } catch (SQLException e) {
                      mine.add(e);
                    }
                    Thread.sleep(100); // spread 200 connects over a few seconds
                  }
                  return mine;
                })
            .stream()
            .flatMap(List::stream)
            .toList();
    double seconds = (System.nanoTime() - started) / 1e9;
    int calls = secretsManager().calls("GetSecretValue", secret);

    assertEquals(threads * connectsPerThread, failures.size(), "every connect must fail");
    for (SQLException failure : failures) {
      assertEquals("28P01", failure.getSQLState());
      assertTrue(failure.getMessage().contains("'" + secret + "'"), failure.getMessage());
      assertFalse(DriverTestSupport.mentions(failure, wrongPassword));
    }
    // The first read; then forced reads spaced one second per call, the first of which (with its
    // AWSPENDING read) may come at once.
    long bound = 1 + 2 + (long) Math.floor(seconds);
    assertTrue(calls <= bound, calls + " calls in " + seconds + " s, bound " + bound);
    System.out.printf(
        "wrong password: %d connects failed with 28P01 in %.1f s, %d GetSecretValue calls%n",
        failures.size(), seconds, calls);
  }

  private static <T> List<T> runConcurrently(int threads, Callable<T> task) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<T>> futures = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        futures.add(pool.submit(task));
      }
      List<T> results = new ArrayList<>();
      for (Future<T> future : futures) {
        results.add(future.get());
      }
      return results;
    } finally {
      pool.shutdownNow();
    }
  }
}
