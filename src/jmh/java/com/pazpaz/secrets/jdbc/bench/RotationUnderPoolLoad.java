package com.pazpaz.secrets.jdbc.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A busy HikariCP pool over the driver while {@link BenchMain} rotates the secret (the shape of the
 * project's PoolLoad): N threads borrow and query without pause and the pool's connections are
 * soft-evicted every 25 ms, so that new logins happen in every phase of the rotation. Every login
 * goes through a counting data source, so a failed login is counted even when the pool hides it
 * from borrowers by retrying.
 *
 * <p>Driven over stdin: {@code status} prints a {@code STATUS} line (counters, and the longest
 * borrow since the last status), {@code stop} closes the pool and prints {@code RESULT} plus up to
 * three {@code FAILURE} lines. Argument: the pool size.
 */
public final class RotationUnderPoolLoad {

  private static final Duration EVICT_EVERY = Duration.ofMillis(25);
  private static final Duration BORROW_TIMEOUT = Duration.ofSeconds(15);

  private final AtomicLong logins = new AtomicLong();
  private final AtomicLong failedLogins = new AtomicLong();
  private final AtomicLong borrows = new AtomicLong();
  private final AtomicLong failedBorrows = new AtomicLong();
  private final AtomicLong longestBorrowNanos = new AtomicLong();
  private final List<String> failureSamples = new CopyOnWriteArrayList<>();
  private final Map<String, Integer> failuresBySqlState = new ConcurrentHashMap<>();
  private final AtomicBoolean running = new AtomicBoolean(true);

  private RotationUnderPoolLoad() {}

  public static void main(String[] args) throws Exception {
    new RotationUnderPoolLoad().run(Integer.parseInt(args[0]));
    System.exit(0);
  }

  private void run(int size) throws Exception {
    BenchDriver driver = BenchDriver.fromSystemProperties();
    HikariConfig config = new HikariConfig();
    config.setDataSource(new CountingDataSource(driver));
    config.setMaximumPoolSize(size);
    config.setMinimumIdle(size);
    config.setConnectionTimeout(BORROW_TIMEOUT.toMillis());
    config.setPoolName("bench-rotation");
    PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
    try (HikariDataSource pool = new HikariDataSource(config)) {
      ExecutorService threads = Executors.newFixedThreadPool(size + 1);
      for (int i = 0; i < size; i++) {
        threads.submit(() -> query(pool));
      }
      threads.submit(() -> evict(pool));
      BufferedReader in =
          new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      out.println("READY");
      for (String command = in.readLine(); command != null; command = in.readLine()) {
        if (command.equals("status")) {
          out.println(
              String.format(
                  Locale.ROOT,
                  "STATUS logins=%d failedLogins=%d borrows=%d failedBorrows=%d"
                      + " longestBorrowMs=%d",
                  logins.get(),
                  failedLogins.get(),
                  borrows.get(),
                  failedBorrows.get(),
                  TimeUnit.NANOSECONDS.toMillis(longestBorrowNanos.getAndSet(0))));
        } else if (command.equals("stop")) {
          break;
        }
      }
      running.set(false);
      threads.shutdown();
      threads.awaitTermination(30, TimeUnit.SECONDS);
    }
    out.println(
        String.format(
            Locale.ROOT,
            "RESULT logins=%d failedLogins=%d borrows=%d failedBorrows=%d",
            logins.get(),
            failedLogins.get(),
            borrows.get(),
            failedBorrows.get()));
    failuresBySqlState.forEach((state, count) -> out.println("SQLSTATE " + state + " " + count));
    for (String sample : failureSamples) {
      out.println("FAILURE " + sample);
    }
  }

  private void query(HikariDataSource pool) {
    while (running.get()) {
      long started = System.nanoTime();
      try (Connection connection = pool.getConnection();
          Statement statement = connection.createStatement();
          ResultSet result = statement.executeQuery("SELECT current_user")) {
        longestBorrowNanos.accumulateAndGet(System.nanoTime() - started, Math::max);
        result.next();
        borrows.incrementAndGet();
      } catch (SQLException | RuntimeException e) {
        if (running.get()) {
          failedBorrows.incrementAndGet();
          sample("borrow: ", e);
        }
      }
    }
  }

  private void evict(HikariDataSource pool) {
    while (running.get()) {
      pool.getHikariPoolMXBean().softEvictConnections();
      try {
        Thread.sleep(EVICT_EVERY.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private void sample(String prefix, Throwable failure) {
    if (failureSamples.size() < 3) {
      failureSamples.add(prefix + Failures.describe(failure));
    }
  }

  /** Logins through the driver, counted. */
  private final class CountingDataSource implements DataSource {
    private final BenchDriver driver;

    CountingDataSource(BenchDriver driver) {
      this.driver = driver;
    }

    @Override
    public Connection getConnection() throws SQLException {
      try {
        Connection connection = driver.connect();
        logins.incrementAndGet();
        return connection;
      } catch (SQLException | RuntimeException e) {
        if (running.get()) {
          failedLogins.incrementAndGet();
          failuresBySqlState.merge(Failures.sqlState(e), 1, Integer::sum);
          sample("login: ", e);
        }
        throw e;
      }
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
      return getConnection();
    }

    @Override
    public PrintWriter getLogWriter() {
      return null;
    }

    @Override
    public void setLogWriter(PrintWriter out) {}

    @Override
    public void setLoginTimeout(int seconds) {}

    @Override
    public int getLoginTimeout() {
      return 0;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
      throw new SQLFeatureNotSupportedException();
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
      throw new SQLException("not a wrapper");
    }

    @Override
    public boolean isWrapperFor(Class<?> type) {
      return false;
    }
  }
}
