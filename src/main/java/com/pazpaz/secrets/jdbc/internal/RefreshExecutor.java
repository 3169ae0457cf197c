package com.pazpaz.secrets.jdbc.internal;

import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * The threads that secret reads and background refreshes run on (they make blocking HTTP calls).
 *
 * <ul>
 *   <li>Daemon threads that hold nothing of the application that happened to start them: their
 *       context class loader is the driver's own, and they inherit no {@code
 *       InheritableThreadLocal} values. A driver shared by several applications (an application
 *       server's common lib) so never keeps one of them alive.
 *   <li>{@link #close()} ends the idle threads at once, so a redeployed application's class loader
 *       does not wait out their idle timeout; a read still running may finish, for up to two
 *       seconds.
 *   <li>A task handed in after {@code close()} starts a new pool: a driver that is used after it
 *       was deregistered keeps working (and its new threads are ended by the next close).
 * </ul>
 */
final class RefreshExecutor implements Executor, AutoCloseable {

  private static final long CLOSE_WAIT_MILLIS = 2_000;
  private static final long IDLE_SECONDS = 60;
  private static final AtomicInteger THREADS = new AtomicInteger();

  private final AtomicReference<@Nullable ThreadPoolExecutor> pool = new AtomicReference<>();

  @Override
  public void execute(Runnable task) {
    while (true) {
      ThreadPoolExecutor current = pool();
      try {
        current.execute(task);
        return;
      } catch (RejectedExecutionException closedMeanwhile) {
        // close() shut this pool down between pool() and execute(): start another.
        pool.compareAndSet(current, null);
      }
    }
  }

  private ThreadPoolExecutor pool() {
    ThreadPoolExecutor current = pool.get();
    if (current != null) {
      return current;
    }
    ThreadPoolExecutor created =
        new ThreadPoolExecutor(
            0,
            Integer.MAX_VALUE,
            IDLE_SECONDS,
            TimeUnit.SECONDS,
            new SynchronousQueue<>(),
            RefreshExecutor::newThread);
    ThreadPoolExecutor raced = pool.compareAndExchange(null, created);
    return raced != null ? raced : created;
  }

  private static Thread newThread(Runnable task) {
    Thread thread =
        new Thread(null, task, "pazpaz-secrets-refresh-" + THREADS.incrementAndGet(), 0, false);
    thread.setDaemon(true);
    thread.setContextClassLoader(RefreshExecutor.class.getClassLoader());
    return thread;
  }

  /** Ends the idle threads now and waits up to two seconds for a running read. */
  @Override
  public void close() {
    ThreadPoolExecutor current = pool.getAndSet(null);
    if (current == null) {
      return;
    }
    current.shutdown();
    try {
      if (!current.awaitTermination(CLOSE_WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
        current.shutdownNow();
      }
    } catch (InterruptedException e) {
      current.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
