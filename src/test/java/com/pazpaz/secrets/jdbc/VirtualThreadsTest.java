package com.pazpaz.secrets.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pazpaz.secrets.jdbc.testing.LimitedSocketFactory;
import java.io.IOException;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedMethod;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A thousand virtual threads open their first connection at the same moment: they share one {@code
 * GetSecretValue} and all log in, also in the window of a rotation. JFR records every time a
 * virtual thread is pinned to its carrier while it waits, and none of those pins is caused by a
 * frame of the driver (a native method, a class initializer or a {@code synchronized} method of
 * ours). The source is compiled for Java 17, so virtual threads are started through reflection.
 */
@EnabledForJreRange(
    min = JRE.JAVA_21,
    disabledReason = "virtual threads are a final feature from Java 21 on")
@ExtendWith(NoPasswordsInLogs.class)
@Timeout(300)
class VirtualThreadsTest {

  private static final int THREADS = 1_000;
  private static final String PINNED = "jdk.VirtualThreadPinned";
  // A thousand virtual threads doing TLS and SCRAM share the carriers with the thread that reads
  // the secret; on a busy 2-core machine that read may need more than the default 10 seconds.
  private static final String PATIENT = "awsApiCallTimeout=PT60S";

  @Test
  void aThousandFirstConnectsShareOneGetSecretValue() throws Exception {
    TestDeployment app = TestDeployment.create("virtual_threads");

    Run run = connectAllAtOnce(app.driver(), app.url(PATIENT));

    assertNoFailures(run);
    assertEquals(Map.of(app.role(), THREADS), run.usersLoggedIn());
    assertEquals(THREADS, run.onVirtualThreads());
    assertEquals(1, app.secretsManager().calls("GetSecretValue", app.secretId()));
    assertEquals(List.of(), run.pinnedByDriverFrames());
    System.out.printf(
        "first connects: %d virtual threads logged in, 1 GetSecretValue call, pinned: %s%n",
        THREADS, run.pinnedWhere());
  }

  @Test
  void aThousandFirstConnectsInARotationWindowAllLogIn() throws Exception {
    TestDeployment app = TestDeployment.create("virtual_window");
    // The window: the database has the new password, AWSCURRENT still the old one.
    String newPassword = app.newPassword();
    app.storeVersion(newPassword, "AWSPENDING");
    app.alterPassword(newPassword);

    long started = System.nanoTime();
    Run run = connectAllAtOnce(app.driver(), app.url(PATIENT));
    double seconds = (System.nanoTime() - started) / 1e9;
    int calls = app.secretsManager().calls("GetSecretValue", app.secretId());

    assertNoFailures(run);
    assertEquals(Map.of(app.role(), THREADS), run.usersLoggedIn());
    // One shared first read; then forced reads (AWSCURRENT and AWSPENDING), spaced one second per
    // call, the first of which may come at once.
    long bound = 1 + 2 + (long) Math.floor(seconds);
    assertTrue(calls <= bound, calls + " calls in " + seconds + " s, bound " + bound);
    assertEquals(List.of(), run.pinnedByDriverFrames());
    System.out.printf(
        "rotation window: %d virtual threads logged in within %.1f s, %d GetSecretValue calls,"
            + " pinned: %s%n",
        THREADS, seconds, calls, run.pinnedWhere());
  }

  private static void assertNoFailures(Run run) {
    assertTrue(
        run.failures().isEmpty(),
        () -> run.failures().size() + " connects failed, the first with " + run.failures().get(0));
  }

  /** What the threads saw, and what JFR recorded meanwhile. */
  private record Run(
      List<Throwable> failures,
      Map<String, Integer> usersLoggedIn,
      int onVirtualThreads,
      int pinnedEvents,
      Map<String, Integer> pinnedWhere,
      List<String> pinnedByDriverFrames) {}

  /**
   * Starts {@link #THREADS} virtual threads that wait at a latch and then each open (and close) one
   * connection. Logins are limited to {@link LimitedSocketFactory#MAX_OPEN} sockets at once so that
   * PostgreSQL's max_connections is not exceeded; the secret read before them is not.
   */
  private static Run connectAllAtOnce(PazPazSecretsDriver driver, String url) throws Exception {
    Properties properties = new Properties();
    properties.setProperty("socketFactory", LimitedSocketFactory.NAME);
    CountDownLatch ready = new CountDownLatch(THREADS);
    CountDownLatch start = new CountDownLatch(1);
    List<Throwable> failures = new ArrayList<>();
    Map<String, Integer> users = new TreeMap<>();
    int virtual = 0;
    try (Recording recording = new Recording()) {
      recording.enable(PINNED).withThreshold(Duration.ZERO).withStackTrace();
      recording.start();
      ExecutorService threads = virtualThreadPerTaskExecutor();
      try {
        List<Future<String>> logins = new ArrayList<>();
        for (int i = 0; i < THREADS; i++) {
          logins.add(
              threads.submit(
                  () -> {
                    ready.countDown();
                    start.await();
                    try (Connection connection = driver.connect(url, properties)) {
                      String user =
                          DriverTestSupport.queryString(connection, "SELECT current_user");
                      return isVirtual(Thread.currentThread()) ? user : "not virtual: " + user;
                    }
                  }));
        }
        ready.await();
        start.countDown();
        for (Future<String> login : logins) {
          try {
            String user = login.get(240, TimeUnit.SECONDS);
            if (!user.startsWith("not virtual: ")) {
              virtual++;
            }
            users.merge(user.replace("not virtual: ", ""), 1, Integer::sum);
          } catch (java.util.concurrent.ExecutionException e) {
            failures.add(e.getCause());
          }
        }
      } finally {
        threads.shutdownNow();
      }
      recording.stop();
      List<RecordedEvent> pinned = pinnedEvents(recording);
      return new Run(
          failures,
          users,
          virtual,
          pinned.size(),
          pinnedWhere(pinned),
          pinnedByDriverFrames(pinned));
    }
  }

  private static List<RecordedEvent> pinnedEvents(Recording recording) throws IOException {
    Path file = Files.createTempFile(Path.of("target"), "virtual-threads-", ".jfr");
    try {
      recording.dump(file);
      return RecordingFile.readAllEvents(file).stream()
          .filter(event -> event.getEventType().getName().equals(PINNED))
          .toList();
    } finally {
      Files.deleteIfExists(file);
    }
  }

  /**
   * For the log: per pinned event, its reason (Java 24+), its top frame and first frame outside the
   * JDK.
   */
  private static Map<String, Integer> pinnedWhere(List<RecordedEvent> events) {
    Map<String, Integer> where = new TreeMap<>();
    for (RecordedEvent event : events) {
      String reason = event.hasField("pinnedReason") ? event.getString("pinnedReason") : "pinned";
      List<RecordedMethod> frames =
          event.getStackTrace() == null
              ? List.of()
              : event.getStackTrace().getFrames().stream().map(RecordedFrame::getMethod).toList();
      String top = frames.isEmpty() ? "no stack" : name(frames.get(0));
      String caller =
          frames.stream()
              .filter(method -> !method.getType().getName().matches("(java|jdk|sun)\\..*"))
              .map(VirtualThreadsTest::name)
              .findFirst()
              .orElse("JDK only");
      where.merge(reason + " in " + top + " called from " + caller, 1, Integer::sum);
    }
    return where;
  }

  private static String name(RecordedMethod method) {
    return method.getType().getName() + "." + method.getName();
  }

  /**
   * The frames of the driver that pin a virtual thread: a native method, a class initializer (the
   * causes left on Java 24 and later) or a synchronized method (a cause on Java 21 to 23). The
   * driver's few synchronized blocks, which JFR cannot show, guard a Properties copy in the data
   * source and never wait.
   */
  private static List<String> pinnedByDriverFrames(List<RecordedEvent> events) throws Exception {
    List<String> found = new ArrayList<>();
    for (RecordedEvent event : events) {
      if (event.getStackTrace() == null) {
        continue;
      }
      for (RecordedFrame frame : event.getStackTrace().getFrames()) {
        RecordedMethod method = frame.getMethod();
        int modifiers = method.getModifiers();
        boolean pins =
            method.getName().equals("<clinit>")
                || Modifier.isNative(modifiers)
                || Modifier.isSynchronized(modifiers);
        if (pins && isDriverClass(method.getType().getName())) {
          found.add(method.getType().getName() + "." + method.getName());
        }
      }
    }
    return found;
  }

  /** A class of the driver itself (target/classes), not of its tests. */
  private static boolean isDriverClass(String className) throws URISyntaxException {
    if (!className.startsWith("com.pazpaz.secrets.jdbc.")) {
      return false;
    }
    try {
      CodeSource source =
          Class.forName(className, false, VirtualThreadsTest.class.getClassLoader())
              .getProtectionDomain()
              .getCodeSource();
      return source != null
          && source
              .getLocation()
              .equals(
                  PazPazSecretsDriver.class.getProtectionDomain().getCodeSource().getLocation());
    } catch (ClassNotFoundException hidden) {
      return true;
    }
  }

  private static ExecutorService virtualThreadPerTaskExecutor()
      throws ReflectiveOperationException {
    return (ExecutorService)
        Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
  }

  private static boolean isVirtual(Thread thread) throws ReflectiveOperationException {
    return (Boolean) Thread.class.getMethod("isVirtual").invoke(thread);
  }
}
