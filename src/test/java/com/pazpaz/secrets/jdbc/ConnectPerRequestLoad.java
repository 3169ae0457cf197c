package com.pazpaz.secrets.jdbc;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An application without a pool (a Lambda, a CLI, a small service): worker threads that each
 * connect, run {@code SELECT 1} and close, in a loop without pause. Counts connects and failures.
 */
public final class ConnectPerRequestLoad implements AutoCloseable {

  private final AtomicLong connects = new AtomicLong();
  private final List<Throwable> failures = new CopyOnWriteArrayList<>();
  private final PazPazSecretsDriver driver;
  private final String url;
  private final LoadThreads threads;

  public ConnectPerRequestLoad(PazPazSecretsDriver driver, String url, int threadCount) {
    this.driver = driver;
    this.url = url;
    threads = new LoadThreads(threadCount);
    for (int i = 0; i < threadCount; i++) {
      threads.start(this::connectInALoop);
    }
  }

  private void connectInALoop() {
    while (threads.running()) {
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
    LoadThreads.awaitAtLeast(
        connects,
        connects.get() + count,
        Duration.ofSeconds(60),
        () -> "no new connects: " + failures);
  }

  /** Keeps the load running for a while (the window a rotation holds open), then returns. */
  public void runFor(Duration duration) {
    LoadThreads.sleep(duration);
  }

  public long connects() {
    return connects.get();
  }

  public List<Throwable> failures() {
    return List.copyOf(failures);
  }

  @Override
  public void close() throws InterruptedException {
    threads.stop();
  }
}
