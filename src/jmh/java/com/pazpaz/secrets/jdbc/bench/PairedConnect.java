package com.pazpaz.secrets.jdbc.bench;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The contender against plain pgjdbc in one JVM, alternating call by call (ABBA), so that whatever
 * else the machine does weighs on both alike: the way to see a 2% difference on a busy 2-core
 * machine, where separate JMH runs minutes apart differ by far more. Both log in as the same role
 * to the same server with the same TLS settings ({@code bench.*} and {@code bench.baseline.*}, see
 * {@link BenchDriver}); the contender's secret is already cached.
 *
 * <p>Arguments: rounds, connect pairs per round, statement pairs per round. Per round it takes the
 * median time of each side and their ratio; it prints the median, min and max of the round ratios,
 * for warm connects and for {@code SELECT 1} round trips on a connection from each.
 */
public final class PairedConnect {

  private static final int CONNECTIONS_PER_SIDE = 4;

  private PairedConnect() {}

  public static void main(String[] args) throws Exception {
    int rounds = Integer.parseInt(args[0]);
    int connectPairs = Integer.parseInt(args[1]);
    int statementPairs = Integer.parseInt(args[2]);
    BenchDriver contender = BenchDriver.fromSystemProperties();
    BenchDriver baseline = BenchDriver.fromSystemProperties(BenchDriver.BASELINE);

    // Warm-up: class loading, the contender's first Secrets Manager read, JIT.
    connectPairs(contender, baseline, connectPairs);
    List<double[]> connects = new ArrayList<>();
    for (int round = 0; round < rounds; round++) {
      connects.add(connectPairs(contender, baseline, connectPairs));
    }
    print("warmConnect", connects);

    statementPairs(contender, baseline, statementPairs);
    List<double[]> statements = new ArrayList<>();
    for (int round = 0; round < rounds; round++) {
      statements.add(statementPairs(contender, baseline, statementPairs));
    }
    print("statementRoundTrip", statements);
    System.out.flush();
    System.exit(0);
  }

  /** Median nanoseconds of {contender, baseline} over n alternating pairs. */
  private static double[] connectPairs(BenchDriver contender, BenchDriver baseline, int n)
      throws SQLException {
    long[] mine = new long[n];
    long[] theirs = new long[n];
    for (int i = 0; i < n; i++) {
      boolean contenderFirst = i % 2 == 0;
      if (contenderFirst) {
        mine[i] = timeConnect(contender);
        theirs[i] = timeConnect(baseline);
      } else {
        theirs[i] = timeConnect(baseline);
        mine[i] = timeConnect(contender);
      }
    }
    return new double[] {median(mine), median(theirs)};
  }

  private static long timeConnect(BenchDriver driver) throws SQLException {
    long started = System.nanoTime();
    try (Connection connection = driver.connect()) {
      return System.nanoTime() - started;
    }
  }

  /**
   * Median nanoseconds of {contender, baseline} over n alternating {@code SELECT 1} pairs, spread
   * over fresh connections of each side: on 2 cores a round trip costs twice as much when the
   * server process and the client thread land on the same core, and spreading evens that out.
   */
  private static double[] statementPairs(BenchDriver contender, BenchDriver baseline, int n)
      throws SQLException {
    List<Connection> mine = new ArrayList<>();
    List<Connection> theirs = new ArrayList<>();
    try {
      for (int i = 0; i < CONNECTIONS_PER_SIDE; i++) {
        mine.add(contender.connect());
        theirs.add(baseline.connect());
      }
      long[] contenderNanos = new long[n];
      long[] baselineNanos = new long[n];
      for (int i = 0; i < n; i++) {
        Connection a = mine.get(i % CONNECTIONS_PER_SIDE);
        Connection b = theirs.get(i % CONNECTIONS_PER_SIDE);
        if (i % 2 == 0) {
          contenderNanos[i] = timeStatement(a);
          baselineNanos[i] = timeStatement(b);
        } else {
          baselineNanos[i] = timeStatement(b);
          contenderNanos[i] = timeStatement(a);
        }
      }
      return new double[] {median(contenderNanos), median(baselineNanos)};
    } finally {
      for (Connection connection : mine) {
        connection.close();
      }
      for (Connection connection : theirs) {
        connection.close();
      }
    }
  }

  private static long timeStatement(Connection connection) throws SQLException {
    long started = System.nanoTime();
    try (Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery("SELECT 1")) {
      result.next();
      result.getInt(1);
    }
    return System.nanoTime() - started;
  }

  private static void print(String name, List<double[]> rounds) {
    double[] ratios = rounds.stream().mapToDouble(r -> r[0] / r[1]).sorted().toArray();
    double[] contender = rounds.stream().mapToDouble(r -> r[0]).sorted().toArray();
    double[] baseline = rounds.stream().mapToDouble(r -> r[1]).sorted().toArray();
    System.out.println(
        String.format(
            Locale.ROOT,
            "RESULT benchmark=%s ratio=%.4f min=%.4f max=%.4f contenderUs=%.1f baselineUs=%.1f"
                + " rounds=%d",
            name,
            median(ratios),
            ratios[0],
            ratios[ratios.length - 1],
            median(contender) / 1e3,
            median(baseline) / 1e3,
            rounds.size()));
  }

  private static double median(long[] values) {
    long[] sorted = values.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0;
  }

  private static double median(double[] sorted) {
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0;
  }
}
