package com.pazpaz.secrets.jdbc.demo;

import com.pazpaz.secrets.jdbc.testing.EmbeddedDeployment;
import com.pazpaz.secrets.jdbc.testing.LocalSecretsManager;
import com.pazpaz.secrets.jdbc.testing.TestPostgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import java.util.logging.StreamHandler;

/**
 * The demo behind {@code mvn -q -Pdemo}: an embedded PostgreSQL (TLS, SCRAM) and a local Secrets
 * Manager endpoint, a secret, a connection through {@code jdbc:pazpaz-secrets:}, then a rotation in
 * the order of AWS's single-user rotation function, with new connections succeeding in every phase
 * and no restart. It uses only what a user has: the URL and DriverManager. Passwords are random and
 * never printed.
 */
public final class RotationDemo {

  private static final String URL = "jdbc:pazpaz-secrets:" + EmbeddedDeployment.SECRET;

  private static int step;

  public static void main(String[] args) throws Exception {
    logToStandardOutput();
    say(
        "Starting an embedded PostgreSQL 17 (TLS on, SCRAM-SHA-256 passwords required) and a local"
            + " Secrets Manager endpoint (the AWS SDK talks to it over HTTP)");
    try (EmbeddedDeployment deployment = EmbeddedDeployment.start()) {
      TestPostgres postgres = deployment.postgres();
      LocalSecretsManager secretsManager = deployment.secretsManager();
      String secret = deployment.secret();
      String role = deployment.role();
      detail("PostgreSQL listening on " + postgres.host() + ":" + postgres.port());
      detail("Secrets Manager endpoint " + secretsManager.endpoint());
      detail("role " + role + " created with a random password, stored as secret " + secret);
      detail("secret keys: username, password, host, port, database, ssl_cert_path");
      detail("password: random, never printed");
      // What a deployment sets through AWS_ENDPOINT_URL_SECRETS_MANAGER / AWS_REGION.
      deployment.useInThisJvm();

      say("Connecting with DriverManager.getConnection(\"" + URL + "\"): no user, no password");
      Connection longLived = DriverManager.getConnection(URL);
      describe(longLived);
      detail("GetSecretValue calls so far: " + secretsManager.calls("GetSecretValue"));

      say("Ten more connections: served from the cache");
      for (int i = 0; i < 10; i++) {
        DriverManager.getConnection(URL).close();
      }
      detail("GetSecretValue calls so far: " + secretsManager.calls("GetSecretValue"));

      String newPassword = EmbeddedDeployment.randomPassword();
      say("Rotation 1/4 createSecret: PutSecretValue with the new password as AWSPENDING");
      String pendingVersion =
          secretsManager.putSecretValue(secret, deployment.secretJson(newPassword), "AWSPENDING");
      detail("pending version " + pendingVersion);
      connectAndReport(secretsManager);

      say("Rotation 2/4 setSecret: ALTER ROLE " + role + " to the new password");
      postgres.alterPassword(role, newPassword);
      detail("the database and AWSCURRENT now disagree: this is the window where peers fail");
      connectAndReport(secretsManager);

      say("Rotation 3/4 testSecret: the new password logs in");
      connectAndReport(secretsManager);

      say(
          "Rotation 4/4 finishSecret: UpdateSecretVersionStage moves AWSCURRENT to the new version");
      secretsManager.moveStage(secret, "AWSCURRENT", pendingVersion);
      // Forced reads of one secret are spaced one second per API call (two here): wait that out,
      // and the next login failure re-reads AWSCURRENT and caches the promoted version.
      Thread.sleep(2100);
      connectAndReport(secretsManager);
      say(
          "Later connections log in with the new version (remembered from the window until the cache refreshes): no failed login, no API call");
      connectAndReport(secretsManager);
      connectAndReport(secretsManager);

      say("The connection opened before the rotation still works");
      describe(longLived);
      longLived.close();

      say("Done: every connection succeeded through the rotation, with no restart");
      detail("GetSecretValue calls in all: " + secretsManager.calls("GetSecretValue"));
    }
  }

  private static void connectAndReport(LocalSecretsManager secretsManager) throws SQLException {
    try (Connection connection = DriverManager.getConnection(URL)) {
      detail(
          "new connection OK as "
              + query(connection, "SELECT current_user")
              + "; GetSecretValue calls so far: "
              + secretsManager.calls("GetSecretValue"));
    }
  }

  private static void describe(Connection connection) throws SQLException {
    detail(
        "connected as "
            + query(connection, "SELECT current_user")
            + " to database "
            + query(connection, "SELECT current_database()")
            + " over "
            + query(connection, "SELECT version FROM pg_stat_ssl WHERE pid = pg_backend_pid()")
            + " (sslmode=verify-full against the secret's CA file)");
    detail("connection class: " + connection.getClass().getName() + " (pgjdbc's own, no proxy)");
  }

  private static String query(Connection connection, String sql) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery(sql)) {
      result.next();
      return result.getString(1);
    }
  }

  /** The driver's log events, in order with the steps: one stream, one line each. */
  private static void logToStandardOutput() {
    Logger root = Logger.getLogger("");
    for (Handler handler : root.getHandlers()) {
      root.removeHandler(handler);
    }
    StreamHandler out =
        new StreamHandler(System.out, new SimpleFormatter()) {
          @Override
          public synchronized void publish(LogRecord record) {
            super.publish(record);
            flush();
          }
        };
    root.addHandler(out);
  }

  private static void say(String text) {
    System.out.println();
    System.out.println("[" + ++step + "] " + text);
  }

  private static void detail(String text) {
    System.out.println("      " + text);
  }
}
