package com.pazpaz.secrets.jdbc.cli;

import com.pazpaz.secrets.jdbc.internal.ConnectionSettings;
import com.pazpaz.secrets.jdbc.internal.Connector;
import com.pazpaz.secrets.jdbc.internal.DatabaseSecret;
import com.pazpaz.secrets.jdbc.internal.DatabaseUrl;
import com.pazpaz.secrets.jdbc.internal.DriverRuntime;
import com.pazpaz.secrets.jdbc.internal.Endpoint;
import com.pazpaz.secrets.jdbc.internal.FetchedSecret;
import com.pazpaz.secrets.jdbc.internal.SecretLocation;
import com.pazpaz.secrets.jdbc.internal.SecretReadException;
import com.pazpaz.secrets.jdbc.internal.SecretsManagerFailure;
import com.pazpaz.secrets.jdbc.internal.SecretsManagerSource;
import com.pazpaz.secrets.jdbc.internal.TlsPolicy;
import com.pazpaz.secrets.jdbc.internal.Troubleshooting;
import com.pazpaz.secrets.jdbc.rotation.PasswordGenerator;
import com.pazpaz.secrets.jdbc.rotation.SecretDescription;
import com.pazpaz.secrets.jdbc.rotation.SecretVersions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * {@code verify [JDBC_URL]}: resolves the settings exactly as the driver does, reads the secret,
 * connects through the driver and reports where the credentials came from, the endpoint, TLS, the
 * server, the password's length and the secret's last rotation. Never shows a password.
 */
public final class VerifyCommand implements Command {

  static final Duration MAX_ROTATION_AGE = Duration.ofDays(90);

  private static final String SSL_QUERY =
      "SELECT current_user, current_setting('server_version'), s.ssl, s.version, s.cipher"
          + " FROM pg_stat_ssl s WHERE s.pid = pg_backend_pid()";

  private final Troubleshooting troubleshooting = Troubleshooting.forVerify();

  @Override
  public String name() {
    return "verify";
  }

  @Override
  public String summary() {
    return "check that the driver connects with a URL, and report how";
  }

  @Override
  public String help() {
    return
"""
Usage: verify [JDBC_URL]

Resolves the settings as the driver does (URL, system properties pazpaz.secrets.KEY,
environment variables, defaults), reads the secret, connects through the driver, and
reports: where the credentials came from (secret, version, stage, region; or
DATABASE_URL), user, host, port and database, the TLS protocol and whether the server's
certificate was verified, the server version, the password's length against the
32-character minimum, and when the secret was last rotated (a warning past 90 days).
Every failure comes with what to do. No password is shown.

JDBC_URL defaults to jdbc:pazpaz-secrets: (the secret named by DB_SECRETS_MANAGER_KEY_NAME,
else pazpaz/database-credentials). Quote it in a shell when it has '?' or '&'.

Exit codes: 0 all checks passed, 3 the driver connects but a warning needs attention
(old rotation, short password, unverified TLS, unfinished rotation), 1 a check failed,
2 usage error.

Example:
  verify 'jdbc:pazpaz-secrets:clinic/db?region=eu-west-1'
""";
  }

  @Override
  public Set<String> optionNames() {
    return Set.of();
  }

  @Override
  public int maxPositional() {
    return 1;
  }

  @Override
  public int run(Arguments arguments, CommandContext context) throws UsageException {
    String url = arguments.jdbcUrl();
    CheckReport report = new CheckReport(context.out());
    ConnectionSettings settings;
    try {
      settings =
          ConnectionSettings.resolve(
              url, new Properties(), context.systemProperties(), context.environment());
    } catch (SQLException e) {
      report.fail("settings", String.valueOf(e.getMessage()), troubleshooting.advice(e));
      return report.finish();
    }
    context.out().println(header(settings));
    context.out().println();
    SecretsManagerSource source = new SecretsManagerSource();
    try (DriverRuntime runtime = new DriverRuntime(source)) {
      Credentials credentials = credentials(settings, source, report);
      if (credentials == null) {
        return report.finish();
      }
      if (connect(settings, credentials, runtime, report)) {
        password(settings, credentials, report);
      }
      if (credentials.fromSecretsManager()) {
        rotation(source, settings, context, report);
      }
    }
    return report.finish();
  }

  private static String header(ConnectionSettings settings) {
    String environment = "environment " + settings.environment().displayName();
    return settings.environment().usesSecretsManager()
        ? "Checking secret '%s' (%s)".formatted(settings.secretId(), environment)
        : "Checking DATABASE_URL (%s)".formatted(environment);
  }

  /** The credentials the driver would use, or null when there are none to check further. */
  private @Nullable Credentials credentials(
      ConnectionSettings settings, SecretsManagerSource source, CheckReport report) {
    if (!settings.environment().usesSecretsManager()) {
      return fromDatabaseUrl(
          settings, report, "environment=" + settings.environment().displayName());
    }
    SecretLocation location = settings.secretLocation();
    try {
      FetchedSecret fetched = source.fetch(location);
      SecretsManagerClient client = source.client(location.client());
      report.ok(
          "credentials",
          "Secrets Manager secret '%s', version %s, stage %s, region %s%s"
              .formatted(
                  location.secretId(),
                  fetched.versionId(),
                  location.versionStage(),
                  client.serviceClientConfiguration().region(),
                  settings.endpoint() == null ? "" : ", endpoint " + settings.endpoint()));
      return new Credentials(fetched.secret(), Map.of(), true);
    } catch (SecretReadException e) {
      return secretUnreadable(settings, e, report);
    } catch (SQLException e) {
      report.fail("credentials", String.valueOf(e.getMessage()), troubleshooting.advice(e));
      return null;
    }
  }

  /** Reports why the secret cannot be read; the DATABASE_URL fallback's credentials, or null. */
  private @Nullable Credentials secretUnreadable(
      ConnectionSettings settings, SecretReadException e, CheckReport report) {
    // Not the exception's message: its advice would repeat the report's.
    String said = SecretsManagerFailure.whatAwsSaid(e.getCause());
    report.fail(
        "credentials",
        "cannot read secret '%s' (stage %s, region %s): %s%s"
            .formatted(
                settings.secretId(),
                settings.versionStage(),
                settings.region() == null ? "from the AWS SDK chain" : settings.region(),
                e.awsErrorCode(),
                said == null ? "" : ": " + said),
        troubleshooting.advice(e));
    if (!settings.fallbackToDatabaseUrl() || settings.databaseUrl() == null) {
      return null;
    }
    report.info(
        "fallback",
        "the driver falls back to DATABASE_URL (fallbackToDatabaseUrl=true); checking it");
    return fromDatabaseUrl(settings, report, "fallback from Secrets Manager");
  }

  private @Nullable Credentials fromDatabaseUrl(
      ConnectionSettings settings, CheckReport report, String why) {
    if (settings.databaseUrl() == null) {
      report.fail(
          "credentials",
          "DATABASE_URL is not set, and %s reads the credentials from it.".formatted(why),
          List.of(
              "Set DATABASE_URL (or the key databaseUrl) to"
                  + " postgresql://USER:PASSWORD@HOST:PORT/DATABASE, or ENVIRONMENT=production"
                  + " to use Secrets Manager."));
      return null;
    }
    try {
      DatabaseUrl databaseUrl = DatabaseUrl.parse(settings.databaseUrl());
      report.ok("credentials", "DATABASE_URL (" + why + ")");
      return new Credentials(databaseUrl.credentials(), databaseUrl.parameters(), false);
    } catch (SQLException e) {
      report.fail("credentials", String.valueOf(e.getMessage()), troubleshooting.advice(e));
      return null;
    }
  }

  /** Connects through the driver; true when it did. */
  private boolean connect(
      ConnectionSettings settings,
      Credentials credentials,
      DriverRuntime runtime,
      CheckReport report) {
    String secretId = credentials.fromSecretsManager() ? settings.secretId() : null;
    Properties tls;
    try {
      Endpoint endpoint = Connector.endpoint(settings, credentials.secret(), secretId);
      report.ok("database", "user %s on %s".formatted(credentials.secret().username(), endpoint));
      tls = Connector.tlsSettings(settings, credentials.secret(), credentials.parameters());
    } catch (SQLException e) {
      String check =
          Troubleshooting.classify(e) == Troubleshooting.Problem.TLS_FAILURE ? "TLS" : "database";
      report.fail(check, String.valueOf(e.getMessage()), troubleshooting.advice(e));
      return false;
    }
    try (Connection connection = runtime.connector().connect(settings);
        Statement statement = connection.createStatement();
        ResultSet row = statement.executeQuery(SSL_QUERY)) {
      row.next();
      login(row.getString(1), settings, credentials, runtime, report);
      tls(row.getBoolean(3), row.getString(4), row.getString(5), tls, settings, report);
      report.ok("server", "PostgreSQL " + row.getString(2));
      return true;
    } catch (SQLException e) {
      String check =
          switch (Troubleshooting.classify(e)) {
            case LOGIN_REJECTED -> "login";
            case TLS_FAILURE -> "TLS";
            default -> "connect";
          };
      report.fail(check, String.valueOf(e.getMessage()), troubleshooting.advice(e));
      return false;
    }
  }

  private static void login(
      String user,
      ConnectionSettings settings,
      Credentials credentials,
      DriverRuntime runtime,
      CheckReport report) {
    if (credentials.fromSecretsManager()
        && runtime.metrics(settings.secretLocation()).getLoginsRescuedByPending() > 0) {
      report.warn(
          "login",
          ("logged in as %s, but only with the %s version: PostgreSQL rejected %s. A rotation is"
                  + " unfinished: the database has the new password and the secret does not yet.")
              .formatted(user, SecretLocation.PENDING, settings.versionStage()),
          List.of(
              "Run rotate with the same URL to complete it (or let the rotation function's"
                  + " finishSecret run). Until then every new connection costs one rejected"
                  + " login."));
      return;
    }
    report.ok("login", "logged in as %s through the driver".formatted(user));
  }

  private static void tls(
      boolean encrypted,
      String protocol,
      String cipher,
      Properties tls,
      ConnectionSettings settings,
      CheckReport report) {
    String mode = tls.getProperty("sslmode", "prefer (pgjdbc's default)");
    if (!encrypted) {
      String detail = "not encrypted (sslmode=%s)".formatted(mode);
      if (settings.environment().usesSecretsManager()) {
        report.fail("TLS", detail, List.of("Use sslmode=verify-full (the default)."));
      } else {
        report.info(
            "TLS",
            "%s, which environment=%s allows"
                .formatted(detail, settings.environment().displayName()));
      }
      return;
    }
    String session = "%s (%s)".formatted(protocol, cipher);
    String caFile = tls.getProperty("sslrootcert", "pgjdbc's default");
    switch (mode) {
      case TlsPolicy.VERIFY_FULL ->
          report.ok(
              "TLS",
              "%s, server certificate and host name verified (sslmode=verify-full, CA file %s)"
                  .formatted(session, caFile));
      case "verify-ca" ->
          report.ok(
              "TLS",
              "%s, server certificate verified, host name not checked (sslmode=verify-ca, CA file %s)"
                  .formatted(session, caFile));
      default ->
          report.warn(
              "TLS",
              "%s, server certificate NOT verified (sslmode=%s)".formatted(session, mode),
              List.of(
                  "Use sslmode=verify-full (the default in staging and production) with the"
                      + " server's CA file, so that no one in between can pose as the database."));
    }
  }

  private static void password(
      ConnectionSettings settings, Credentials credentials, CheckReport report) {
    int length = credentials.secret().password().length();
    int minimum = DatabaseSecret.MINIMUM_PASSWORD_LENGTH;
    if (!credentials.secret().hasShortPassword()) {
      report.ok("password", "%d characters (minimum %d)".formatted(length, minimum));
    } else if (settings.environment().usesSecretsManager() && credentials.fromSecretsManager()) {
      report.warn(
          "password",
          "%d characters, under the %d-character minimum".formatted(length, minimum),
          List.of(
              "Rotate it: rotate sets a random %d-character password."
                  .formatted(PasswordGenerator.DEFAULT_LENGTH)));
    } else {
      report.info(
          "password", "%d characters (minimum %d for production)".formatted(length, minimum));
    }
  }

  private static void rotation(
      SecretsManagerSource source,
      ConnectionSettings settings,
      CommandContext context,
      CheckReport report) {
    SecretDescription description;
    try {
      description = SecretVersions.of(source, settings).describe();
    } catch (SQLException e) {
      report.warn(
          "rotation",
          "cannot tell when the secret was last rotated: " + e.getMessage(),
          List.of("Grant secretsmanager:DescribeSecret on the secret to check it."));
      return;
    }
    String pending = description.unfinishedRotation();
    if (pending != null) {
      report.warn(
          "rotation",
          "a rotation is unfinished: version %s is %s".formatted(pending, SecretLocation.PENDING),
          List.of("Run rotate with the same URL: it completes that rotation."));
    }
    lastRotation(description, context.clock().instant(), report);
  }

  /** How long ago the password changed: a warning past {@link #MAX_ROTATION_AGE}. */
  private static void lastRotation(SecretDescription description, Instant now, CheckReport report) {
    SecretDescription.LastChange last = description.lastChange();
    long days = Duration.between(last.date(), now).toDays();
    boolean tooOld = days > MAX_ROTATION_AGE.toDays();
    String detail =
        "%s %s, %d %s ago%s; %s"
            .formatted(
                last.what(),
                LocalDate.ofInstant(last.date(), ZoneOffset.UTC),
                days,
                days == 1 ? "day" : "days",
                tooOld ? " (more than %d)".formatted(MAX_ROTATION_AGE.toDays()) : "",
                description.rotationEnabled() && description.rotationDays() != null
                    ? "automatic rotation every %d days".formatted(description.rotationDays())
                    : "no automatic rotation");
    if (tooOld) {
      report.warn(
          "rotation",
          detail,
          List.of(
              "Rotate now: rotate with the same URL. Then schedule the rotation function with"
                  + " AutomaticallyAfterDays: 90 (README, \"Operator tools\")."));
    } else {
      report.ok("rotation", detail);
    }
  }

  /**
   * @param parameters pgjdbc parameters of DATABASE_URL, empty for a secret
   */
  private record Credentials(
      DatabaseSecret secret, Map<String, String> parameters, boolean fromSecretsManager) {}
}
