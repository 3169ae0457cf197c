package com.pazpaz.secrets.jdbc.rotation;

import static com.pazpaz.secrets.jdbc.internal.SecretLocation.CURRENT;
import static com.pazpaz.secrets.jdbc.internal.SecretLocation.PENDING;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.pazpaz.secrets.jdbc.ConfigKey;
import com.pazpaz.secrets.jdbc.internal.ConnectionSettings;
import com.pazpaz.secrets.jdbc.internal.JdbcUrl;
import com.pazpaz.secrets.jdbc.internal.Logging;
import com.pazpaz.secrets.jdbc.internal.SecretsManagerSource;
import com.pazpaz.secrets.jdbc.internal.SqlStates;
import java.lang.System.Logger.Level;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * A Secrets Manager rotation function for the database secrets this driver reads: the four steps of
 * {@link SecretRotation}, the same code as {@code rotate} on the command line, behind the checks of
 * AWS's rotation templates (the token must be a version of the secret; a version that already is
 * {@code AWSCURRENT} needs nothing; any other must be {@code AWSPENDING}).
 *
 * <p>Handler: {@code com.pazpaz.secrets.jdbc.RotationLambdaHandler::handleRequest}. Configuration
 * comes from the environment: {@code ROTATION_STRATEGY} ({@code single}, the default, or {@code
 * alternating}, which needs the secret's {@code masterarn}), {@code SECRETS_MANAGER_ENDPOINT} as in
 * AWS's templates, and every driver key as a system property ({@code
 * -Dpazpaz.secrets.sslrootcert=...} in {@code JAVA_TOOL_OPTIONS}) or environment variable.
 *
 * <p>A failed step throws, so that Secrets Manager retries it; the message names the secret, the
 * step and what to do, never a password.
 */
public final class RotationLambdaHandler implements RequestHandler<Map<String, String>, Void> {

  public static final String STRATEGY_VARIABLE = "ROTATION_STRATEGY";
  public static final String ENDPOINT_VARIABLE = "SECRETS_MANAGER_ENDPOINT";

  private static final System.Logger LOG = Logging.LOGGER;

  private final Function<String, String> systemProperties;
  private final Function<String, String> environment;
  // Kept across the invocations of a warm Lambda instance: one SDK client per region.
  private final SecretsManagerSource source = new SecretsManagerSource();
  private final PasswordGenerator passwords = new PasswordGenerator();

  /** The handler Lambda creates: configured by the process's environment. */
  public RotationLambdaHandler() {
    this(System::getProperty, System::getenv);
  }

  /** For tests: their own system properties and environment. */
  public RotationLambdaHandler(
      Function<String, String> systemProperties, Function<String, String> environment) {
    this.systemProperties = systemProperties;
    this.environment = environment;
  }

  @Override
  public Void handleRequest(Map<String, String> event, Context context) {
    handle(event.get("SecretId"), event.get("ClientRequestToken"), event.get("Step"));
    return null;
  }

  /**
   * Runs one rotation step, as for the event {@code {"SecretId", "ClientRequestToken", "Step"}}.
   *
   * @throws IllegalArgumentException when the event is not a valid rotation request
   * @throws IllegalStateException when the step failed; running it again is safe
   */
  public void handle(
      @Nullable String secretId, @Nullable String clientRequestToken, @Nullable String step) {
    String secret = required("SecretId", secretId);
    String token = required("ClientRequestToken", clientRequestToken);
    RotationStep rotationStep =
        RotationStep.parse(step)
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "Invalid Step '"
                            + step
                            + "': expected createSecret, setSecret, testSecret or finishSecret"));
    try {
      ConnectionSettings settings = settings(secret);
      SecretVersions versions = SecretVersions.of(source, settings);
      if (alreadyCurrent(versions, token)) {
        log(Level.INFO, "rotation_step_skipped", secret, rotationStep, token, "already AWSCURRENT");
        return;
      }
      SecretRotation rotation =
          new SecretRotation(versions, new DatabaseLogins(settings), strategy(), passwords, null);
      String outcome = rotationStep.run(rotation, token);
      log(Level.INFO, "rotation_step_done", secret, rotationStep, token, outcome);
    } catch (SQLException e) {
      log(Level.WARNING, "rotation_step_failed", secret, rotationStep, token, e.getSQLState());
      throw new IllegalStateException(
          rotationStep.eventName() + " failed for secret '" + secret + "': " + e.getMessage(), e);
    }
  }

  /** The checks of AWS's templates; true when the version needs nothing more. */
  private static boolean alreadyCurrent(SecretVersions versions, String token) throws SQLException {
    SecretDescription description = versions.describe();
    if (!description.hasVersion(token)) {
      throw new IllegalArgumentException(
          "Secret version "
              + token
              + " has no stage for rotation of secret '"
              + versions.secretId()
              + "'.");
    }
    List<String> stages = description.stagesOf(token);
    if (stages.contains(CURRENT)) {
      if (stages.contains(PENDING)) {
        versions.removePending(token);
      }
      return true;
    }
    if (!stages.contains(PENDING)) {
      throw new IllegalArgumentException(
          "Secret version "
              + token
              + " is not AWSPENDING for rotation of secret '"
              + versions.secretId()
              + "'.");
    }
    return false;
  }

  /** Settings resolved as the driver resolves them, for the secret of the event. */
  private ConnectionSettings settings(String secretId) throws SQLException {
    Properties properties = new Properties();
    properties.setProperty(ConfigKey.SECRET_ID.key(), secretId);
    String templateEndpoint = environment.apply(ENDPOINT_VARIABLE);
    boolean endpointSetOtherwise =
        systemProperties.apply(ConfigKey.ENDPOINT.systemProperty()) != null
            || environment.apply(ConfigKey.ENDPOINT.envVar()) != null;
    if (templateEndpoint != null && !templateEndpoint.isBlank() && !endpointSetOtherwise) {
      properties.setProperty(ConfigKey.ENDPOINT.key(), templateEndpoint);
    }
    ConnectionSettings settings =
        ConnectionSettings.resolve(JdbcUrl.PREFIX, properties, systemProperties, environment);
    if (!settings.environment().usesSecretsManager()) {
      throw new SQLException(
          "The rotation function runs with environment="
              + settings.environment().displayName()
              + ", which reads DATABASE_URL: unset ENVIRONMENT (or set it to production).",
          SqlStates.CONNECTION_UNABLE_TO_CONNECT);
    }
    return settings;
  }

  private RotationStrategy strategy() {
    String value = environment.apply(STRATEGY_VARIABLE);
    if (value == null || value.isBlank()) {
      return RotationStrategy.SINGLE;
    }
    return RotationStrategy.parse(value)
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    STRATEGY_VARIABLE + "='" + value + "': expected single or alternating"));
  }

  private static String required(String key, @Nullable String value) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("The rotation event has no " + key + ".");
    }
    return value;
  }

  private static void log(
      Level level, String event, String secret, RotationStep step, String token, String outcome) {
    LOG.log(
        level,
        Logging.event(
            event,
            "secret",
            secret,
            "step",
            step.eventName(),
            "version",
            token,
            "outcome",
            outcome));
  }
}
