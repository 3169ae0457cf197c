package com.pazpaz.secrets.jdbc.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.net.URLClassLoader;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The refresh threads hold nothing of whoever started them, and close ends them at once. */
class RefreshExecutorTest {

  private static final InheritableThreadLocal<String> REQUEST = new InheritableThreadLocal<>();

  @Test
  void threadsHoldNeitherTheCallersClassLoaderNorItsThreadLocals() throws Exception {
    RefreshExecutor executor = new RefreshExecutor();
    Thread caller = Thread.currentThread();
    ClassLoader previous = caller.getContextClassLoader();
    try (URLClassLoader application = new URLClassLoader(new URL[0])) {
      caller.setContextClassLoader(application);
      REQUEST.set("request of another application");
      CompletableFuture<Thread> ran = new CompletableFuture<>();
      CompletableFuture<String> inherited = new CompletableFuture<>();
      executor.execute(
          () -> {
            inherited.complete(REQUEST.get());
            ran.complete(Thread.currentThread());
          });
      Thread thread = ran.get(10, TimeUnit.SECONDS);

      assertSame(RefreshExecutor.class.getClassLoader(), thread.getContextClassLoader());
      assertNull(inherited.get(10, TimeUnit.SECONDS));
      assertTrue(thread.isDaemon());
    } finally {
      REQUEST.remove();
      caller.setContextClassLoader(previous);
      executor.close();
    }
  }

  @Test
  void closeEndsIdleThreadsAndALaterTaskStillRuns() throws Exception {
    RefreshExecutor executor = new RefreshExecutor();
    CompletableFuture<Thread> first = new CompletableFuture<>();
    executor.execute(() -> first.complete(Thread.currentThread()));
    Thread idle = first.get(10, TimeUnit.SECONDS);

    executor.close();
    // Without close the idle thread would live on for its 60-second keep-alive.
    idle.join(TimeUnit.SECONDS.toMillis(10));
    assertFalse(idle.isAlive(), "idle refresh thread still alive after close");

    CompletableFuture<String> later = new CompletableFuture<>();
    executor.execute(() -> later.complete("ran"));
    assertEquals("ran", later.get(10, TimeUnit.SECONDS));
    executor.close();
  }
}
