package com.pazpaz.secrets.jdbc;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The worker threads of a load generator ({@link ConnectPerRequestLoad}, {@link PoolLoad}), in one
 * place so that both start, wait and stop the same way: each loops while {@link #running()}, and
 * {@link #stop()} ends the loops and waits for them.
 */
final class LoadThreads {

  private final AtomicBoolean running = new AtomicBoolean(true);
  private final ExecutorService threads;

  LoadThreads(int threadCount) {
    threads = Executors.newFixedThreadPool(threadCount);
  }

  /** Runs a loop on one of the threads; it should return once {@link #running()} is false. */
  void start(Runnable loop) {
    threads.submit(loop);
  }

  boolean running() {
    return running.get();
  }

  /**
   * Waits until {@code counter} reaches {@code target}, polling every 5 ms, and fails with {@code
   * message} after {@code timeout}.
   */
  static void awaitAtLeast(
      AtomicLong counter, long target, Duration timeout, Supplier<String> message) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (counter.get() < target) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(message.get());
      }
      sleep(Duration.ofMillis(5));
    }
  }

  static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      // A test that timed out must not spin here forever.
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** Ends the loops and waits (up to 30 seconds) for the threads to finish. */
  void stop() throws InterruptedException {
    running.set(false);
    threads.shutdown();
    threads.awaitTermination(30, TimeUnit.SECONDS);
  }
}
