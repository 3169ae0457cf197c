package com.pazpaz.secrets.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A busy HikariCP pool over the driver: worker threads borrow and query without pause, and the
 * pool's connections are evicted every few milliseconds so that new logins happen all the time.
 * Counts borrows, failed borrows and logins (new connections the pool opened).
 */
public final class PoolLoad implements AutoCloseable {

  private final AtomicLong logins = new AtomicLong();
  private final AtomicLong borrows = new AtomicLong();
  private final List<Throwable> failures = new CopyOnWriteArrayList<>();
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final HikariDataSource pool;
  private final ExecutorService threads;

  public PoolLoad(PazPazSecretsDriver driver, String url, int size) {
    this(driver, url, size, true);
  }

  /**
   * @param evicting whether the pool's connections are evicted every few milliseconds; without it
   *     they live until they break, as in a pool with a long maxLifetime
   */
  public PoolLoad(PazPazSecretsDriver driver, String url, int size, boolean evicting) {
    PazPazSecretsDataSource countingLogins =
        new PazPazSecretsDataSource(driver) {
          @Override
          public Connection getConnection() throws SQLException {
            Connection connection = super.getConnection();
            logins.incrementAndGet();
            return connection;
          }
        };
    try {
      countingLogins.setUrl(url);
    } catch (SQLException e) {
      throw new IllegalArgumentException(e);
    }
    HikariConfig config = new HikariConfig();
    config.setDataSource(countingLogins);
    config.setMaximumPoolSize(size);
    config.setMinimumIdle(size);
    config.setConnectionTimeout(Duration.ofSeconds(15).toMillis());
    config.setPoolName("rotation-load");
    pool = new HikariDataSource(config);
    threads = Executors.newFixedThreadPool(size + 1);
    for (int i = 0; i < size; i++) {
      threads.submit(this::query);
    }
    if (evicting) {
      threads.submit(this::evict);
    }
  }

  private void query() {
    while (running.get()) {
      try (Connection connection = pool.getConnection();
          Statement statement = connection.createStatement();
          ResultSet result = statement.executeQuery("SELECT current_user")) {
        result.next();
        borrows.incrementAndGet();
      } catch (SQLException | RuntimeException e) {
        if (running.get()) {
          failures.add(e);
        }
      }
    }
  }

  private void evict() {
    while (running.get()) {
      pool.getHikariPoolMXBean().softEvictConnections();
      sleep(Duration.ofMillis(25));
    }
  }

  /** Waits until the pool has opened at least {@code count} more connections. */
  public void awaitNewLogins(int count) {
    long target = logins.get() + count;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (logins.get() < target) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the pool opened no new connections: " + failures);
      }
      sleep(Duration.ofMillis(5));
    }
  }

  /** The pool's size now (active and idle connections). */
  public int totalConnections() {
    return pool.getHikariPoolMXBean().getTotalConnections();
  }

  public long logins() {
    return logins.get();
  }

  public long borrows() {
    return borrows.get();
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
    pool.close();
  }
}
