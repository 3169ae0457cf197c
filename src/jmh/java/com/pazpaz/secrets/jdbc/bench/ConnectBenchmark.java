package com.pazpaz.secrets.jdbc.bench;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The two hot paths, for whichever driver {@link BenchDriver} describes (one JMH run per contender,
 * each on its own class path; see {@link JmhRun}).
 *
 * <ul>
 *   <li>{@link #warmConnect}: open and close one connection with the secret already cached (the
 *       first connect happens in setup). PostgreSQL 17 on loopback, TLS verify-full, SCRAM: the
 *       same server work for every driver, so the difference is the driver's own.
 *   <li>{@link #statementRoundTrip}: {@code SELECT 1} on a connection the driver returned: create a
 *       statement, run it, read the row, close both. A driver that proxies JDBC objects pays on
 *       every call here.
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
public class ConnectBenchmark {

  /** The driver, its cache filled by one connect. */
  @State(Scope.Benchmark)
  public static class Warm {
    BenchDriver driver;

    @Setup(Level.Trial)
    public void setUp() throws SQLException {
      driver = BenchDriver.fromSystemProperties();
      driver.connect().close();
    }
  }

  /** One open connection per benchmark thread. */
  @State(Scope.Thread)
  public static class Open {
    Connection connection;

    @Setup(Level.Trial)
    public void setUp(Warm warm) throws SQLException {
      connection = warm.driver.connect();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws SQLException {
      connection.close();
    }
  }

  @Benchmark
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  public boolean warmConnect(Warm warm) throws SQLException {
    try (Connection connection = warm.driver.connect()) {
      return connection.isClosed();
    }
  }

  @Benchmark
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public int statementRoundTrip(Open open) throws SQLException {
    try (Statement statement = open.connection.createStatement();
        ResultSet result = statement.executeQuery("SELECT 1")) {
      result.next();
      return result.getInt(1);
    }
  }
}
