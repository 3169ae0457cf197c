package com.pazpaz.secrets.jdbc.cli;

import com.pazpaz.secrets.jdbc.internal.ConnectionSettings;
import com.pazpaz.secrets.jdbc.internal.Connector;
import com.pazpaz.secrets.jdbc.internal.SecretsManagerSource;
import com.pazpaz.secrets.jdbc.internal.SqlStates;
import com.pazpaz.secrets.jdbc.internal.Troubleshooting;
import com.pazpaz.secrets.jdbc.rotation.DatabaseLogins;
import com.pazpaz.secrets.jdbc.rotation.PasswordGenerator;
import com.pazpaz.secrets.jdbc.rotation.RotationStep;
import com.pazpaz.secrets.jdbc.rotation.RotationStrategy;
import com.pazpaz.secrets.jdbc.rotation.SecretRotation;
import com.pazpaz.secrets.jdbc.rotation.SecretVersions;
import java.io.PrintStream;
import java.sql.SQLException;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * {@code rotate [JDBC_URL] [--strategy single|alternating] [--master-secret ID]}: one rotation of
 * the secret the URL names, in the four steps of {@link SecretRotation}. When an earlier rotation
 * is unfinished ({@code AWSPENDING} on another version than {@code AWSCURRENT}) it completes that
 * one instead of starting another; each step skips what is already done.
 */
public final class RotateCommand implements Command {

  /** Told after each step; the tests' observer stops the command there, as a kill would. */
  interface StepObserver {
    void stepDone(RotationStep step);
  }

  private final PasswordGenerator passwords;
  private final StepObserver observer;
  private final Troubleshooting troubleshooting = Troubleshooting.forRotate();

  RotateCommand(PasswordGenerator passwords) {
    this(passwords, step -> {});
  }

  RotateCommand(PasswordGenerator passwords, StepObserver observer) {
    this.passwords = passwords;
    this.observer = observer;
  }

  @Override
  public String name() {
    return "rotate";
  }

  @Override
  public String summary() {
    return "rotate the secret's password safely (resumes an unfinished rotation)";
  }

  @Override
  public String help() {
    return
"""
Usage: rotate [JDBC_URL] [--strategy single|alternating] [--master-secret ID] [--end-sessions]

Rotates the password of the secret the URL names, in the four steps of Secrets Manager's
rotation functions, so that applications using the driver never fail a connection:
  1 createSecret  a new 64-character password is stored as AWSPENDING
  2 setSecret     the database gets it (ALTER ROLE with a SCRAM verifier computed here:
                  the plain password never reaches the server or its logs)
  3 testSecret    a login with it is tried
  4 finishSecret  AWSCURRENT moves to it; AWSPENDING is taken off
If an earlier rotation stopped half-way (AWSPENDING on a version that is not AWSCURRENT),
rotate completes that one instead; every step skips what is already done, so running
rotate again after any failure is safe.

  --strategy single        (default) the role changes its own password; if none of the
                           secret's passwords logs in any more, a master login (below)
                           sets it
  --strategy alternating   the new version names the other of USER and USER_clone, and
                           a master login sets its password (USER_clone is created,
                           member of USER, if missing); the current user is untouched
  --master-secret ID       the secret (name or ARN) of a login that may ALTER ROLE;
                           default: the secret's masterarn key
  --end-sessions           after the rotation, end every session of the new AWSCURRENT
                           user (alternating: and of the AWSPREVIOUS user) that was opened
                           before it (pg_terminate_backend, each user with its own login),
                           and print how many: for a leaked password, whose open sessions
                           would otherwise live on. Other roles' sessions are never
                           touched; pools reconnect with the new password

JDBC_URL defaults to jdbc:pazpaz-secrets: and is resolved as the driver resolves it.
The AWS identity needs secretsmanager:GetSecretValue, DescribeSecret, PutSecretValue and
UpdateSecretVersionStage on the secret. No password is shown.

Exit codes: 0 rotated, 1 a step failed (the output says which and what to do; run the
command again once fixed) or --end-sessions could not end every old session, 2 usage
error.

Example:
  rotate 'jdbc:pazpaz-secrets:clinic/db?region=eu-west-1' --strategy alternating
  rotate 'jdbc:pazpaz-secrets:clinic/db?region=eu-west-1' --end-sessions
""";
  }

  @Override
  public Set<String> optionNames() {
    return Set.of("strategy", "master-secret");
  }

  @Override
  public Set<String> flagNames() {
    return Set.of(SessionEnding.FLAG);
  }

  @Override
  public int maxPositional() {
    return 1;
  }

  @Override
  public int run(Arguments arguments, CommandContext context) throws UsageException {
    Options options = Options.of(arguments);
    PrintStream out = context.out();
    try (SecretsManagerSource source = new SecretsManagerSource()) {
      ConnectionSettings settings = settings(arguments.jdbcUrl(), context);
      SecretVersions versions = SecretVersions.of(source, settings);
      out.println(
          "Rotating secret '%s' (region %s, strategy %s)"
              .formatted(settings.secretId(), versions.region(), options.strategy().displayName()));
      String token = targetVersion(versions, out);
      SecretRotation rotation =
          new SecretRotation(
              versions,
              new DatabaseLogins(settings),
              options.strategy(),
              passwords,
              options.masterSecret());
      String user = runSteps(rotation, versions, token, out);
      out.println();
      TextBlock.wrap(
              ("Rotated: AWSCURRENT is version %s (user %s). Applications using the driver switch"
                      + " at their next login, without a restart; open connections stay open.")
                  .formatted(token, user),
              TextBlock.WIDTH)
          .forEach(out::println);
      return arguments.flag(SessionEnding.FLAG)
          ? SessionEnding.run(new DatabaseLogins(settings), versions, context)
          : ExitCodes.OK;
    } catch (StepFailure e) {
      reportFailure(context.err(), e.step, e.failure);
      return ExitCodes.FAILED;
    } catch (SQLException e) {
      reportFailure(context.err(), null, e);
      return ExitCodes.FAILED;
    }
  }

  /** The command's options, checked before anything is read or changed. */
  private record Options(RotationStrategy strategy, @Nullable String masterSecret) {

    static Options of(Arguments arguments) throws UsageException {
      String strategyName = arguments.option("strategy").orElse("single");
      RotationStrategy strategy =
          RotationStrategy.parse(strategyName)
              .orElseThrow(
                  () ->
                      new UsageException(
                          "--strategy must be single or alternating, not '%s'"
                              .formatted(strategyName)));
      String masterSecret = arguments.option("master-secret").orElse(null);
      if (masterSecret != null && masterSecret.isBlank()) {
        throw new UsageException("--master-secret needs a secret name or ARN");
      }
      return new Options(strategy, masterSecret);
    }
  }

  /** The settings resolved as the driver resolves them, for a rotation that can run. */
  private static ConnectionSettings settings(String url, CommandContext context)
      throws SQLException {
    ConnectionSettings settings =
        ConnectionSettings.resolve(
            url, new Properties(), context.systemProperties(), context.environment());
    if (!settings.environment().usesSecretsManager()) {
      throw new SQLException(
          ("rotate changes a Secrets Manager secret, and environment=%s reads DATABASE_URL. Run it"
                  + " with ENVIRONMENT unset, staging or production.")
              .formatted(settings.environment().displayName()),
          SqlStates.CONNECTION_UNABLE_TO_CONNECT);
    }
    // Before anything changes: without pgjdbc, setSecret could not run.
    Connector.requirePgjdbc();
    return settings;
  }

  /** The version to rotate to: an unfinished rotation's, else a new one. */
  private static String targetVersion(SecretVersions versions, PrintStream out)
      throws SQLException {
    String unfinished = versions.describe().unfinishedRotation();
    if (unfinished != null) {
      out.println("  resuming the unfinished rotation to version " + unfinished);
      return unfinished;
    }
    String token = UUID.randomUUID().toString();
    out.println("  new version " + token);
    return token;
  }

  /** Runs the four steps; returns the user of the new AWSCURRENT version. */
  private String runSteps(
      SecretRotation rotation, SecretVersions versions, String token, PrintStream out)
      throws StepFailure {
    RotationStep[] steps = RotationStep.values();
    RotationStep step = steps[0];
    try {
      for (int i = 0; i < steps.length; i++) {
        step = steps[i];
        String outcome = step.run(rotation, token);
        out.printf("  %d/%d %-13s %s%n", i + 1, steps.length, step.eventName(), outcome);
        observer.stepDone(step);
      }
      return versions.current().document().username();
    } catch (SQLException e) {
      throw new StepFailure(step, e);
    }
  }

  /** A step failed; a run stopped there is resumed by the next one. */
  private static final class StepFailure extends Exception {
    final RotationStep step;
    final SQLException failure;

    StepFailure(RotationStep step, SQLException failure) {
      super(failure);
      this.step = step;
      this.failure = failure;
    }
  }

  private void reportFailure(PrintStream err, @Nullable RotationStep step, SQLException e) {
    err.println();
    err.println(
        step == null
            ? "Rotation not started:"
            : "Rotation stopped at %s:".formatted(step.eventName()));
    TextBlock.wrap(String.valueOf(e.getMessage()), TextBlock.WIDTH - 2)
        .forEach(line -> err.println("  " + line));
    List<String> advice = troubleshooting.advice(e);
    for (String hint : advice) {
      List<String> lines = TextBlock.wrap(hint, TextBlock.WIDTH - 5);
      err.println("  -> " + lines.get(0));
      lines.subList(1, lines.size()).forEach(line -> err.println("     " + line));
    }
    if (step != null) {
      err.println(
          "  Applications keep connecting meanwhile (the driver tries AWSPENDING when AWSCURRENT"
              + " is rejected).");
      err.println("  Once fixed, run the same command again: it resumes where this run stopped.");
    }
  }
}
