package com.pazpaz.secrets.jdbc.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a driver keeps once its connections are closed: the heap in use after a full GC once one
 * secret, then 100 secrets, are cached (each connected to once, connection closed), and the threads
 * it leaves running while idle and after {@link DriverManager#deregisterDriver}. The secrets are
 * the contender's secret with {@code -1} .. {@code -N} appended; {@link BenchMain} creates them.
 * Run with {@code -XX:+UseSerialGC} so that a GC leaves only what is reachable.
 *
 * <p>Arguments: the number of secrets.
 */
public final class MemoryAndThreads {

  private MemoryAndThreads() {}

  public static void main(String[] args) throws Exception {
    int secrets = Integer.parseInt(args[0]);
    String secretId = System.getProperty("bench.secretId");
    Set<String> before = threadNames();
    long empty = heapAfterGc();
    BenchDriver driver = BenchDriver.fromSystemProperties();
    for (int i = 1; i <= secrets; i++) {
      try (Connection connection = driver.withSecret(secretId, secretId + "-" + i).connect()) {
        connection.isValid(1);
      }
      if (i == 1) {
        print("heapAfter1", heapAfterGc() - empty);
      }
    }
    print("heapAfter" + secrets, heapAfterGc() - empty);
    Thread.sleep(2_000);
    System.out.println("RESULT what=idleThreads names=" + newThreads(before));
    Driver registered = driver.driver();
    DriverManager.deregisterDriver(registered);
    Thread.sleep(2_000);
    System.out.println("RESULT what=threadsAfterDeregister names=" + newThreads(before));
    System.out.flush();
    System.exit(0);
  }

  private static void print(String what, long bytes) {
    System.out.println(String.format(Locale.ROOT, "RESULT what=%s kib=%.0f", what, bytes / 1024.0));
  }

  private static long heapAfterGc() throws InterruptedException {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(50);
    }
    return memory.getHeapMemoryUsage().getUsed();
  }

  private static Set<String> threadNames() {
    Set<String> names = new TreeSet<>();
    for (Thread thread : Thread.getAllStackTraces().keySet()) {
      names.add(thread.getName());
    }
    return names;
  }

  /** Threads started since, as name(daemon|user), comma-separated; "none" when there are none. */
  private static String newThreads(Set<String> before) {
    Set<String> names = new TreeSet<>();
    for (Thread thread : Thread.getAllStackTraces().keySet()) {
      if (thread.isAlive() && !before.contains(thread.getName())) {
        names.add(thread.getName().replace(' ', '_') + (thread.isDaemon() ? "(daemon)" : "(user)"));
      }
    }
    return names.isEmpty() ? "none" : String.join(",", names);
  }
}
