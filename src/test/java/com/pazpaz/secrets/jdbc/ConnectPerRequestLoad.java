package com.pazpaz.secrets.jdbc;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An application without a pool (a Lambda, a CLI, a small service): worker threads that each
 * connect, run {@code SELECT 1} and close, in a loop without pause. Counts connects and failures.
 */
public final class ConnectPerRequestLoad implements AutoCloseable {

  private final AtomicLong connects = new AtomicLong();
  private final List<Throwable> failures = new CopyOnWriteArrayList<>();
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final PazPazSecretsDriver driver;
  private final String url;
  private final ExecutorService threads;

  public ConnectPerRequestLoad(PazPazSecretsDriver driver, String url, int threadCount) {
    this.driver = driver;
    this.url = url;
    threads = Executors.newFixedThreadPool(threadCount);
    for (int i = 0; i < threadCount; i++) {
      threads.submit(this::connectInALoop);
    }
  }

  private void connectInALoop() {
    while (running.get()) {
      try (Connection connection = driver.connect(url, new Properties());
          Statement statement = connection.createStatement();
          ResultSet result = statement.executeQuery("SELECT 1")) {
        result.next();
        connects.incrementAndGet();
      } catch (SQLException | RuntimeException e) {
        failures.add(e);
      }
    }
  }

  /** Waits until the threads have made at least {@code count} more successful connects. */
  public void awaitNewConnects(int count) {
    long target = connects.get() + count;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (connects.get() < target) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("no new connects: " + failures);
      }
      sleep(Duration.ofMillis(5));
    }
  }

  /** Keeps the load running for a while (the window a rotation holds open), then returns. */
  public void runFor(Duration duration) {
    sleep(duration);
  }

  public long connects() {
    return connects.get();
  }

  public List<Throwable> failures() {
    return List.copyOf(failures);
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      // A test that timed out must not spin here forever.
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  @Override
  public void close() throws InterruptedException {
    running.set(false);
    threads.shutdown();
    threads.awaitTermination(30, TimeUnit.SECONDS);
  }
}
