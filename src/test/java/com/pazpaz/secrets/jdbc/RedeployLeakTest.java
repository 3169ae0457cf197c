package com.pazpaz.secrets.jdbc;

import static com.pazpaz.secrets.jdbc.DriverTestSupport.createRole;
import static com.pazpaz.secrets.jdbc.DriverTestSupport.password;
import static com.pazpaz.secrets.jdbc.DriverTestSupport.secretJson;
import static com.pazpaz.secrets.jdbc.DriverTestSupport.secretsManager;
import static com.pazpaz.secrets.jdbc.DriverTestSupport.unique;
import static com.pazpaz.secrets.jdbc.DriverTestSupport.url;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.ref.WeakReference;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.MalformedURLException;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.management.InstanceNotFoundException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * An application server stops an application by deregistering the JDBC drivers its class loader
 * loaded and dropping the loader. Nothing of the driver may keep that loader alive afterwards: no
 * thread (ours or the AWS SDK's), no MXBean, no DriverManager entry, no shutdown hook, no
 * ThreadLocal. Here the application and its libraries (the driver, the AWS SDK, Caffeine, pgjdbc)
 * are loaded as a container loads them, in a fresh class loader whose parent is the platform class
 * loader, so nothing is shared with the test's own copy of the driver.
 */
@ExtendWith(NoPasswordsInLogs.class)
class RedeployLeakTest {

  private static final String DRIVER = PazPazSecretsDriver.class.getName();

  @Test
  void anUndeployedApplicationsClassLoaderIsCollected() throws Exception {
    Deployment deployment = Deployment.create();

    WeakReference<ClassLoader> undeployed = deployUseAndUndeploy(deployment);

    for (int i = 0; i < 20 && undeployed.get() != null; i++) {
      System.gc();
      TimeUnit.MILLISECONDS.sleep(100);
    }
    assertNull(undeployed.get(), "the undeployed application's class loader is still reachable");
  }

  @Test
  void aDriverUsedAfterItWasDeregisteredStillConnects() throws Exception {
    Deployment deployment = Deployment.create();
    try (URLClassLoader loader = deployment.classLoader()) {
      Application application = new Application(loader);
      application.call("deploy");
      assertEquals(deployment.role, application.call("currentUser", deployment.jdbcUrl));
      application.call("undeploy");

      // A pool that holds the driver class (Hikari with driverClassName) creates its own instance.
      assertEquals(
          deployment.role, application.call("currentUserThroughNewInstance", deployment.jdbcUrl));
    }
  }

  /** Returns only a weak reference, so that no local variable of this frame holds the loader. */
  private static WeakReference<ClassLoader> deployUseAndUndeploy(Deployment deployment)
      throws Exception {
    URLClassLoader loader = deployment.classLoader();
    Application application = new Application(loader);
    application.call("deploy");
    assertEquals(deployment.role, application.call("currentUser", deployment.jdbcUrl));

    // A second connect after the TTL is served from the cache and starts a background refresh.
    TimeUnit.MILLISECONDS.sleep(1_100);
    assertEquals(deployment.role, application.call("currentUser", deployment.jdbcUrl));
    awaitGetSecretValueCalls(deployment.secretId, 2);

    // Loading or instantiating the class again never registers a second driver.
    assertEquals(1, application.call("registeredDrivers"));
    application.call("loadTheDriverAgain");
    assertEquals(1, application.call("registeredDrivers"));

    // Before the undeploy the checks below find something: they are not vacuous.
    assertNotEquals(List.of(), threadsHolding(loader), "threads started by the driver");
    assertNotEquals(List.of(), mbeansOf(loader), "the driver's SecretMXBean");

    // Every driver the loader defined: ours, pgjdbc's, and those whose names DriverManager loaded
    // into it to check which drivers the application may see.
    List<?> deregistered = (List<?>) application.call("undeploy");
    assertTrue(deregistered.contains(DRIVER), deregistered.toString());
    assertEquals(0, application.call("registeredDrivers"));
    awaitNoThreadsHolding(loader);
    assertEquals(List.of(), mbeansOf(loader), "MXBeans left registered");
    loader.close();
    return new WeakReference<>(loader);
  }

  private static void awaitGetSecretValueCalls(String secretId, int calls)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (secretsManager().calls("GetSecretValue", secretId) < calls
        && System.nanoTime() < deadline) {
      TimeUnit.MILLISECONDS.sleep(20);
    }
    assertEquals(calls, secretsManager().calls("GetSecretValue", secretId), "background refresh");
  }

  /** Threads end asynchronously after their pool is shut down: wait for them, bounded. */
  private static void awaitNoThreadsHolding(ClassLoader loader) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!threadsHolding(loader).isEmpty() && System.nanoTime() < deadline) {
      TimeUnit.MILLISECONDS.sleep(20);
    }
    assertEquals(List.of(), threadsHolding(loader), "threads still alive after the undeploy");
  }

  /** Live threads whose context class loader is the loader, or whose class it defined. */
  private static List<String> threadsHolding(ClassLoader loader) {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(
            thread ->
                thread.getContextClassLoader() == loader
                    || thread.getClass().getClassLoader() == loader)
        .map(Thread::getName)
        .sorted()
        .toList();
  }

  private static List<ObjectName> mbeansOf(ClassLoader loader) {
    MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    List<ObjectName> names = new ArrayList<>();
    for (ObjectName name : server.queryNames(null, null)) {
      try {
        if (server.getClassLoaderFor(name) == loader) {
          names.add(name);
        }
      } catch (InstanceNotFoundException gone) {
        // unregistered meanwhile
      }
    }
    return names;
  }

  /** A role, its secret, and the class path an application server would give the application. */
  private record Deployment(String role, String secretId, String jdbcUrl, URL[] libraries) {

    static Deployment create() throws IOException, URISyntaxException {
      String role = unique("redeploy");
      String password = password(role);
      createRole(role, password);
      String secretId = unique("redeploy/db");
      secretsManager().createSecret(secretId, secretJson(role, password));
      return new Deployment(role, secretId, url(secretId, "cacheTtl=1"), classPath());
    }

    /** A new loader for each deployment, as a container makes one for each (re)start. */
    URLClassLoader classLoader() {
      return new URLClassLoader(
          "redeployed-application", libraries, ClassLoader.getPlatformClassLoader());
    }

    /**
     * WEB-INF/classes: the application class alone; WEB-INF/lib: the driver's classes and every
     * library on the test class path except the test framework's.
     */
    private static URL[] classPath() throws IOException, URISyntaxException {
      Path testClasses =
          Path.of(
              RedeployedApplication.class
                  .getProtectionDomain()
                  .getCodeSource()
                  .getLocation()
                  .toURI());
      Path applicationClasses = Path.of("target", "redeployed-application").toAbsolutePath();
      Path target =
          applicationClasses.resolve(
              RedeployedApplication.class.getName().replace('.', '/') + ".class");
      Files.createDirectories(target.getParent());
      Files.copy(
          testClasses.resolve(applicationClasses.relativize(target)),
          target,
          StandardCopyOption.REPLACE_EXISTING);

      List<URL> urls = new ArrayList<>(List.of(toUrl(applicationClasses)));
      for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
        Path path = Path.of(entry).toAbsolutePath();
        if (!path.equals(testClasses) && !isTestFramework(entry)) {
          urls.add(toUrl(path));
        }
      }
      assertFalse(urls.size() < 5, "the test class path was not found: " + urls);
      return urls.toArray(URL[]::new);
    }

    private static boolean isTestFramework(String entry) {
      return List.of("/org/junit/", "/org/opentest4j/", "/org/apiguardian/", "surefire").stream()
          .anyMatch(entry.replace(File.separatorChar, '/')::contains);
    }

    private static URL toUrl(Path path) {
      try {
        return path.toUri().toURL();
      } catch (MalformedURLException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  /** Calls the application's static methods; every argument and result is a JDK type. */
  private record Application(ClassLoader loader) {

    Object call(String method, Object... arguments) throws Exception {
      Class<?> type = loader.loadClass(RedeployedApplication.class.getName());
      Class<?>[] types = new Class<?>[arguments.length];
      for (int i = 0; i < arguments.length; i++) {
        types[i] = arguments[i].getClass();
      }
      Method target = type.getMethod(method, types);
      Thread current = Thread.currentThread();
      ClassLoader previous = current.getContextClassLoader();
      // A container runs the application's code with the application's loader as context.
      current.setContextClassLoader(loader);
      try {
        return target.invoke(null, arguments);
      } catch (InvocationTargetException e) {
        throw e.getCause() instanceof Exception cause ? cause : e;
      } finally {
        current.setContextClassLoader(previous);
      }
    }
  }
}
