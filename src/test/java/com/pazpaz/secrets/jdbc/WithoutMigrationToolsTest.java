package com.pazpaz.secrets.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Properties;
import java.util.function.Function;
import java.util.stream.Stream;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.internal.database.DatabaseTypeRegister;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Flyway and Liquibase are optional. The extensions for them sit in their own packages, listed only
 * in service files those tools read: the driver never touches them, and their presence never stops
 * a tool that cannot use them.
 */
@ExtendWith(NoPasswordsInLogs.class)
class WithoutMigrationToolsTest {

  private static final String OURS = "com.pazpaz.secrets.jdbc.";

  @Test
  void onlyTheExtensionsReferToFlywayOrLiquibase() throws Exception {
    Path classes =
        Path.of(
            PazPazSecretsDriver.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    Path extensions = classes.resolve("com/pazpaz/secrets/jdbc");
    List<Path> offenders;
    try (Stream<Path> files = Files.walk(classes)) {
      offenders =
          files
              .filter(file -> file.toString().endsWith(".class"))
              .filter(file -> !file.startsWith(extensions.resolve("flyway")))
              .filter(file -> !file.startsWith(extensions.resolve("liquibase")))
              .filter(WithoutMigrationToolsTest::mentionsATool)
              .toList();
    }
    assertEquals(List.of(), offenders);
    String drivers = Files.readString(classes.resolve("META-INF/services/java.sql.Driver"));
    assertEquals(PazPazSecretsDriver.class.getName(), drivers.strip());
  }

  @Test
  void driverConnectsWhereFlywayAndLiquibaseCannotBeLoaded() throws Exception {
    SchemaOwner owner = SchemaOwner.create("no_tools");
    ClassLoader classPath =
        new IsolatedClassPath(List.of(OURS), List.of("org.flywaydb.", "liquibase."), "");
    assertThrows(
        ClassNotFoundException.class,
        () -> Class.forName("org.flywaydb.core.Flyway", false, classPath));
    assertThrows(
        ClassNotFoundException.class, () -> Class.forName("liquibase.Liquibase", false, classPath));

    assertEquals(owner.role(), probe(classPath, ConnectProbe.class).apply(owner.url()));
  }

  @Test
  void flywayWithoutItsPostgresqlModuleStillStartsAndSaysWhatIsMissing() throws Exception {
    // flyway-core alone, as in an application that migrates another database with Flyway.
    ClassLoader classPath =
        new IsolatedClassPath(
            List.of(OURS, "org.flywaydb.core."),
            List.of("org.flywaydb.database."),
            "/flyway-database-");

    String message =
        probe(classPath, FlywayProbe.class)
            .apply(DriverTestSupport.url("pazpaz/database-credentials"));
    assertEquals(
        "Flyway needs org.flywaydb:flyway-database-postgresql on the class path to migrate"
            + " PostgreSQL through a jdbc:pazpaz-secrets: URL",
        message);
  }

  /** A fresh instance of the probe class as the isolated class path defines it. */
  @SuppressWarnings("unchecked")
  private static Function<String, String> probe(ClassLoader classPath, Class<?> probe)
      throws ReflectiveOperationException {
    Class<?> isolated = classPath.loadClass(probe.getName());
    assertNotSame(probe, isolated);
    return (Function<String, String>) isolated.getConstructor().newInstance();
  }

  private static boolean mentionsATool(Path classFile) {
    try {
      // Class names sit in the constant pool in internal form, e.g. org/flywaydb/core/Flyway.
      String text = new String(Files.readAllBytes(classFile), StandardCharsets.ISO_8859_1);
      return text.contains("org/flywaydb/") || text.contains("liquibase/");
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Runs on the isolated class path: connects, then deregisters that class path's driver. */
  public static final class ConnectProbe implements Function<String, String> {
    @Override
    public String apply(String url) {
      try {
        try (Connection connection = new PazPazSecretsDriver().connect(url, new Properties())) {
          return DriverTestSupport.queryString(connection, "SELECT current_user");
        } finally {
          DriverManager.deregisterDriver(PazPazSecretsDriver.registered());
        }
      } catch (SQLException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  /** Runs on the isolated class path: starts Flyway (every plugin loads) and tries our URL. */
  public static final class FlywayProbe implements Function<String, String> {
    @Override
    public String apply(String url) {
      DatabaseTypeRegister.getDatabaseTypes();
      try {
        Flyway.configure().dataSource(url, null, null).load().migrate();
        return "migrated";
      } catch (FlywayException e) {
        return e.getMessage();
      }
    }
  }

  /**
   * The test class path with some packages (and the jars holding them) taken away, and some defined
   * afresh so that they resolve their own references, and look up services, here.
   */
  private static final class IsolatedClassPath extends ClassLoader {

    private final List<String> reloaded;
    private final List<String> hidden;
    private final String hiddenJarMarker;

    /**
     * @param hiddenJarMarker resources whose URL contains it are hidden (service files of the
     *     hidden packages' jars); empty hides none
     */
    IsolatedClassPath(List<String> reloaded, List<String> hidden, String hiddenJarMarker) {
      super(WithoutMigrationToolsTest.class.getClassLoader());
      this.reloaded = reloaded;
      this.hidden = hidden;
      this.hiddenJarMarker = hiddenJarMarker;
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
      if (hidden.stream().anyMatch(name::startsWith)) {
        throw new ClassNotFoundException(name + " is not on this class path");
      }
      if (reloaded.stream().noneMatch(name::startsWith)) {
        return super.loadClass(name, resolve);
      }
      synchronized (getClassLoadingLock(name)) {
        Class<?> loaded = findLoadedClass(name);
        if (loaded == null) {
          loaded = defineOwnCopy(name);
        }
        if (resolve) {
          resolveClass(loaded);
        }
        return loaded;
      }
    }

    @Override
    public Enumeration<URL> getResources(String name) throws IOException {
      List<URL> visible =
          Collections.list(super.getResources(name)).stream()
              .filter(url -> hiddenJarMarker.isEmpty() || !url.toString().contains(hiddenJarMarker))
              .toList();
      return Collections.enumeration(visible);
    }

    private Class<?> defineOwnCopy(String name) throws ClassNotFoundException {
      try (InputStream in = getParent().getResourceAsStream(name.replace('.', '/') + ".class")) {
        if (in == null) {
          throw new ClassNotFoundException(name);
        }
        byte[] bytes = in.readAllBytes();
        return defineClass(name, bytes, 0, bytes.length);
      } catch (IOException e) {
        throw new ClassNotFoundException(name, e);
      }
    }
  }
}
