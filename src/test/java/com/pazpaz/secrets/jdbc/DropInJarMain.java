package com.pazpaz.secrets.jdbc;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;

/**
 * The application {@link DropInJarIT} runs in a child JVM: its class path is older Caffeine and AWS
 * SDK jars, pgjdbc and the drop-in jar, in that order, plus this one class. It uses nothing but the
 * JDK and {@code java.sql}, so the test can copy its class file alone out of test-classes. It
 * prints {@code DropInJarMain key=value} lines for the test to check.
 */
public final class DropInJarMain {

  /** Starts each line the test reads, so that no log line can be taken for one. */
  static final String PREFIX = "DropInJarMain ";

  private DropInJarMain() {}

  /** args[0]: the {@code jdbc:pazpaz-secrets:} URL. */
  public static void main(String[] args) throws Exception {
    // The application's own, older libraries, loaded and used before the driver: if the drop-in
    // jar still named these classes, the driver would be handed these versions.
    Class<?> caffeine = Class.forName("com.github.benmanes.caffeine.cache.Caffeine");
    Class<?> cacheType = Class.forName("com.github.benmanes.caffeine.cache.Cache");
    Object cache =
        caffeine.getMethod("build").invoke(caffeine.getMethod("newBuilder").invoke(null));
    cacheType
        .getMethod("put", Object.class, Object.class)
        .invoke(cache, "key", "old-caffeine-works");
    print("old.caffeine", location(caffeine));
    print(
        "old.caffeine.value",
        cacheType.getMethod("getIfPresent", Object.class).invoke(cache, "key"));

    Class<?> sdkVersion = Class.forName("software.amazon.awssdk.core.util.VersionInfo");
    Class<?> region = Class.forName("software.amazon.awssdk.regions.Region");
    print("old.awssdk", location(sdkVersion));
    print("old.awssdk.version", sdkVersion.getField("SDK_VERSION").get(null));
    print("old.awssdk.region", region.getMethod("of", String.class).invoke(null, "eu-west-1"));

    // From here on the test expects no class to come from the old jars (see -Xlog:class+load).
    // No Class.forName for the driver: DriverManager finds it through the service file.
    print("phase", "driver");
    String url = args[0];
    try (Connection connection = DriverManager.getConnection(url);
        Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery("SELECT current_user")) {
      result.next();
      print("current_user", result.getString(1));
      print("connection", connection.getClass().getName());
      print("connection.location", location(connection.getClass()));
      print("driver.location", location(DriverManager.getDriver(url).getClass()));
    }

    Class<?> shadedSdkVersion =
        Class.forName("com.pazpaz.secrets.jdbc.shaded.awssdk.core.util.VersionInfo");
    print("shaded.awssdk", location(shadedSdkVersion));
    print("shaded.awssdk.version", shadedSdkVersion.getField("SDK_VERSION").get(null));
    print(
        "shaded.caffeine",
        location(Class.forName("com.pazpaz.secrets.jdbc.shaded.caffeine.cache.Caffeine")));
  }

  private static void print(String key, Object value) {
    System.out.println(PREFIX + key + "=" + value);
  }

  /** The jar or folder the class was loaded from. */
  private static Path location(Class<?> type) throws URISyntaxException {
    return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
  }
}
