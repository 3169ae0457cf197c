package com.pazpaz.secrets.jdbc.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An application without a pool while {@link BenchMain} holds a rotation window open: N threads
 * each connect, run {@code SELECT 1} and close, in a loop without pause (the shape of the project's
 * ConnectPerRequestLoad). {@link BenchMain} counts the logins PostgreSQL refused from its own log.
 *
 * <p>Driven over stdin: {@code status} prints a {@code STATUS} line, {@code stop} prints {@code
 * RESULT} plus up to three {@code FAILURE} lines. Argument: the thread count.
 */
public final class HeldWindowConnects {

  private final AtomicLong connects = new AtomicLong();
  private final AtomicLong failedConnects = new AtomicLong();
  private final List<String> failureSamples = new CopyOnWriteArrayList<>();
  private final AtomicBoolean running = new AtomicBoolean(true);

  private HeldWindowConnects() {}

  public static void main(String[] args) throws Exception {
    new HeldWindowConnects().run(Integer.parseInt(args[0]));
    System.exit(0);
  }

  private void run(int threadCount) throws Exception {
    BenchDriver driver = BenchDriver.fromSystemProperties();
    PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
    ExecutorService threads = Executors.newFixedThreadPool(threadCount);
    for (int i = 0; i < threadCount; i++) {
      threads.submit(() -> connectInALoop(driver));
    }
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    out.println("READY");
    for (String command = in.readLine(); command != null; command = in.readLine()) {
      if (command.equals("status")) {
        out.println(line("STATUS"));
      } else if (command.equals("stop")) {
        break;
      }
    }
    running.set(false);
    threads.shutdown();
    threads.awaitTermination(30, TimeUnit.SECONDS);
    out.println(line("RESULT"));
    for (String sample : failureSamples) {
      out.println("FAILURE " + sample);
    }
  }

  private String line(String kind) {
    return String.format(
        Locale.ROOT,
        "%s connects=%d failedConnects=%d",
        kind,
        connects.get(),
        failedConnects.get());
  }

  private void connectInALoop(BenchDriver driver) {
    while (running.get()) {
      try (Connection connection = driver.connect();
          Statement statement = connection.createStatement();
          ResultSet result = statement.executeQuery("SELECT 1")) {
        result.next();
        connects.incrementAndGet();
      } catch (SQLException | RuntimeException e) {
        if (running.get()) {
          failedConnects.incrementAndGet();
          if (failureSamples.size() < 3) {
            failureSamples.add(Failures.describe(e));
          }
        }
      }
    }
  }
}
