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
  private final HikariDataSource pool;
  private final LoadThreads threads;

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
    threads = new LoadThreads(size + 1);
    for (int i = 0; i < size; i++) {
      threads.start(this::query);
    }
    if (evicting) {
      threads.start(this::evict);
    }
  }

  private void query() {
    while (threads.running()) {
      try (Connection connection = pool.getConnection();
          Statement statement = connection.createStatement();
          ResultSet result = statement.executeQuery("SELECT current_user")) {
        result.next();
        borrows.incrementAndGet();
      } catch (SQLException | RuntimeException e) {
        if (threads.running()) {
          failures.add(e);
        }
      }
    }
  }

  private void evict() {
    while (threads.running()) {
      pool.getHikariPoolMXBean().softEvictConnections();
      LoadThreads.sleep(Duration.ofMillis(25));
    }
  }

  /** Waits until the pool has opened at least {@code count} more connections. */
  public void awaitNewLogins(int count) {
    LoadThreads.awaitAtLeast(
        logins,
        logins.get() + count,
        Duration.ofSeconds(30),
        () -> "the pool opened no new connections: " + failures);
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

  @Override
  public void close() throws InterruptedException {
    threads.stop();
    pool.close();
  }
}
