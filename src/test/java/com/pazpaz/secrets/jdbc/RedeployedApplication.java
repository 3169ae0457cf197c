package com.pazpaz.secrets.jdbc;

import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * An application that uses the driver, as {@link RedeployLeakTest} deploys it: in a class loader of
 * its own, beside its own copy of the driver and its libraries, as an application server loads
 * {@code WEB-INF/classes} and {@code WEB-INF/lib}. It refers to the JDK and the driver only, so
 * everything it touches is that loader's. Its code must run from inside the loader because {@link
 * DriverManager} hands a caller only the drivers its own class loader can see.
 */
public final class RedeployedApplication {

  private static final String DRIVER = "com.pazpaz.secrets.jdbc.PazPazSecretsDriver";

  private RedeployedApplication() {}

  /** What a pool does with a driverClassName: loading the class registers the driver. */
  public static void deploy() throws ClassNotFoundException {
    Class.forName(DRIVER);
  }

  /** One connect through DriverManager; the role it logged in as. */
  public static String currentUser(String url) throws SQLException {
    try (Connection connection = DriverManager.getConnection(url)) {
      return currentUser(connection);
    }
  }

  /** One connect through a driver instance of its own, as a pool that was handed the class does. */
  public static String currentUserThroughNewInstance(String url) throws SQLException {
    try (Connection connection = new PazPazSecretsDriver().connect(url, new Properties())) {
      return currentUser(connection);
    }
  }

  /** How many instances of this loader's driver class DriverManager holds. */
  public static int registeredDrivers() {
    return (int)
        DriverManager.drivers()
            .filter(driver -> driver.getClass() == PazPazSecretsDriver.class)
            .count();
  }

  /** Loads and instantiates the driver class again, in every way applications and pools do. */
  public static void loadTheDriverAgain() throws ReflectiveOperationException {
    ClassLoader own = RedeployedApplication.class.getClassLoader();
    for (int i = 0; i < 3; i++) {
      Class.forName(DRIVER);
      Class.forName(DRIVER, true, own);
      Class.forName(DRIVER, true, own).getConstructor().newInstance();
      new PazPazSecretsDriver();
    }
  }

  /**
   * What an application server does when it stops the application (Tomcat's JDBC leak prevention):
   * deregister every driver that the application's class loader loaded. The class names, in the
   * order they were deregistered.
   */
  public static List<String> undeploy() throws SQLException {
    ClassLoader own = RedeployedApplication.class.getClassLoader();
    List<Driver> loadedHere =
        DriverManager.drivers()
            .filter(driver -> driver.getClass().getClassLoader() == own)
            .toList();
    List<String> deregistered = new ArrayList<>();
    for (Driver driver : loadedHere) {
      DriverManager.deregisterDriver(driver);
      deregistered.add(driver.getClass().getName());
    }
    return deregistered;
  }

  private static String currentUser(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery("SELECT current_user")) {
      result.next();
      return result.getString(1);
    }
  }
}
