package com.pazpaz.secrets.jdbc.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One driver under comparison: its name in the report, how a user connects with it, and its runtime
 * class path (pgjdbc included), which is all a benchmark JVM for it holds besides the bench
 * classes.
 */
record Contender(String name, Kind kind, List<Path> classPath) {

  /** Where a contender connects: a role and its secret, on the shared servers. */
  record Target(Servers servers, String secretId, String role, String password) {}

  /** The embedded PostgreSQL and the local Secrets Manager, as the contenders see them. */
  record Servers(
      String host, int port, String database, Path caCertificate, String endpoint, String region) {

    String pgjdbcUrl(String extraQuery) {
      return "postgresql://"
          + host
          + ":"
          + port
          + "/"
          + database
          + "?sslmode=verify-full&sslrootcert="
          + caCertificate
          + extraQuery;
    }
  }

  /** How each driver is configured, as its documentation tells users to. */
  enum Kind {
    /** pgjdbc with the password in hand: the baseline. */
    PGJDBC("org.postgresql.Driver", false) {
      @Override
      List<String> systemProperties(Target target) {
        return List.of(
            prop(BenchDriver.URL, "jdbc:" + target.servers().pgjdbcUrl("")),
            prop(BenchDriver.PROPERTY_PREFIX + "user", target.role()),
            prop(BenchDriver.PROPERTY_PREFIX + "password", target.password()));
      }
    },
    /** This project: the secret's name in the URL; TLS settings and the CA come from the secret. */
    PAZPAZ("com.pazpaz.secrets.jdbc.PazPazSecretsDriver", true) {
      @Override
      List<String> systemProperties(Target target) {
        return List.of(
            prop(
                BenchDriver.URL,
                "jdbc:pazpaz-secrets:"
                    + target.secretId()
                    + "?endpoint="
                    + target.servers().endpoint()
                    + "&region="
                    + target.servers().region()));
      }
    },
    /**
     * aws-secretsmanager-jdbc: the secret id as the user; the endpoint through its
     * drivers.vpcEndpointUrl / drivers.vpcEndpointRegion settings (system properties here).
     */
    SECRETSMANAGER_JDBC(
        "com.amazonaws.secretsmanager.sql.AWSSecretsManagerPostgreSQLDriver", true) {
      @Override
      List<String> systemProperties(Target target) {
        return List.of(
            prop(BenchDriver.URL, "jdbc-secretsmanager:" + target.servers().pgjdbcUrl("")),
            prop(BenchDriver.PROPERTY_PREFIX + "user", target.secretId()),
            prop("drivers.vpcEndpointUrl", target.servers().endpoint()),
            prop("drivers.vpcEndpointRegion", target.servers().region()));
      }
    },
    /** aws-advanced-jdbc-wrapper with only the awsSecretsManager plugin. */
    AWS_WRAPPER("software.amazon.jdbc.Driver", true) {
      @Override
      List<String> systemProperties(Target target) {
        return List.of(
            prop(
                BenchDriver.URL,
                "jdbc:aws-wrapper:"
                    + target
                        .servers()
                        .pgjdbcUrl(
                            "&wrapperPlugins=awsSecretsManager&secretsManagerSecretId="
                                + target.secretId()
                                + "&secretsManagerRegion="
                                + target.servers().region()
                                + "&secretsManagerEndpoint="
                                + target.servers().endpoint())));
      }
    };

    private final String driverClass;
    private final boolean usesSecretsManager;

    Kind(String driverClass, boolean usesSecretsManager) {
      this.driverClass = driverClass;
      this.usesSecretsManager = usesSecretsManager;
    }

    abstract List<String> systemProperties(Target target);

    boolean usesSecretsManager() {
      return usesSecretsManager;
    }
  }

  /**
   * The {@code -D} options that describe plain pgjdbc logging in as the target's role, as the
   * baseline of {@link PairedConnect}.
   */
  static List<String> baselineOptions(Target target) {
    List<String> options = new ArrayList<>();
    for (String option : new Contender("baseline", Kind.PGJDBC, List.of()).jvmOptions(target)) {
      options.add(
          "-D" + BenchDriver.BASELINE + option.substring(("-D" + BenchDriver.CONTENDER).length()));
    }
    return options;
  }

  /** The {@code -D} options that tell {@link BenchDriver} how to connect to the target. */
  List<String> jvmOptions(Target target) {
    List<String> options = new ArrayList<>();
    options.add(prop(BenchDriver.DRIVER_CLASS, kind.driverClass));
    options.addAll(kind.systemProperties(target));
    return options;
  }

  private static String prop(String name, String value) {
    return "-D" + name + "=" + value;
  }
}
