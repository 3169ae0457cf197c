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

  /**
   * Open connections used in turn: on 2 cores a round trip costs about twice as much when the
   * server process and the client thread share a core, and several server processes even that out.
   */
  @State(Scope.Thread)
  public static class Open {
    static final int CONNECTIONS = 4;
    final Connection[] connections = new Connection[CONNECTIONS];
    int next;

    @Setup(Level.Trial)
    public void setUp(Warm warm) throws SQLException {
      for (int i = 0; i < CONNECTIONS; i++) {
        connections[i] = warm.driver.connect();
      }
    }

    Connection next() {
      next = (next + 1) % CONNECTIONS;
      return connections[next];
    }

    @TearDown(Level.Trial)
    public void tearDown() throws SQLException {
      for (Connection connection : connections) {
        connection.close();
      }
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
    try (Statement statement = open.next().createStatement();
        ResultSet result = statement.executeQuery("SELECT 1")) {
      result.next();
      return result.getInt(1);
    }
  }
}
