package com.pazpaz.secrets.jdbc.internal;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.security.cert.CertificateException;
import java.sql.SQLException;
import java.util.List;
import javax.net.ssl.SSLException;
import org.jspecify.annotations.Nullable;

/**
 * What to do about a failure of the operator tools: it sorts the driver's, pgjdbc's and the AWS
 * SDK's exceptions into the problems operators meet (a Secrets Manager failure, login rejected, TLS
 * failure, ...) and gives the advice for each. Secrets Manager failures bring their own advice
 * ({@link SecretsManagerFailure}), the same the driver prints; the IAM actions named depend on the
 * command.
 */
public final class Troubleshooting {

  /** The kinds of failure the advice distinguishes. */
  public enum Problem {
    /** A Secrets Manager call failed; {@link #secretsManagerFailure} says how. */
    SECRETS_MANAGER,
    MALFORMED_SECRET,
    LOGIN_REJECTED,
    TLS_FAILURE,
    DATABASE_UNREACHABLE,
    OTHER
  }

  private final String iamActions;
  private final String loginRejected;

  private Troubleshooting(String iamActions, String loginRejected) {
    this.iamActions = iamActions;
    this.loginRejected = loginRejected;
  }

  public static Troubleshooting forVerify() {
    return new Troubleshooting(
        SecretReadException.DRIVER_IAM_ACTIONS + " (and DescribeSecret, for the rotation date)",
        "PostgreSQL rejected the secret's user and password: the database and the secret"
            + " disagree. If a rotation was interrupted, run rotate with the same URL: it"
            + " completes it. If the password was changed by hand, run rotate --master-secret ID"
            + " (a secret whose login may ALTER ROLE) to set a new one, or store the role's real"
            + " password in the secret.");
  }

  public static Troubleshooting forRotate() {
    return new Troubleshooting(
        SecretReadException.DRIVER_IAM_ACTIONS
            + ", DescribeSecret, PutSecretValue and UpdateSecretVersionStage (GetSecretValue on"
            + " the master secret too, for a master login)",
        "PostgreSQL rejected a login the rotation needs (the message names it). Run verify with"
            + " the same URL to see which credentials work. When no password in the secret"
            + " works any more, run rotate --master-secret ID: a login that may ALTER ROLE sets"
            + " the new password.");
  }

  /** The advice for a failure, one paragraph a line; empty when there is nothing to add. */
  public List<String> advice(Throwable failure) {
    SecretsManagerFailure awsFailure = secretsManagerFailure(failure);
    String advice =
        awsFailure != null ? awsFailure.advice(iamActions) : adviceFor(classify(failure));
    return advice.isEmpty() ? List.of() : List.of(advice);
  }

  private String adviceFor(Problem problem) {
    return switch (problem) {
      case MALFORMED_SECRET ->
          "Fix the secret: a JSON object in SecretString with username, password, host, port and"
              + " database (ssl_cert_path optional).";
      case LOGIN_REJECTED -> loginRejected;
      case TLS_FAILURE ->
          ("TLS failed: the server's certificate is not signed by the CA file in use (key"
                  + " sslrootcert, else the secret's ssl_cert_path, else %s), that file is"
                  + " missing, or the host name is not in the certificate. For RDS use the"
                  + " region's global-bundle.pem and the instance's endpoint name.")
              .formatted(TlsPolicy.DEFAULT_CA_FILE);
      case DATABASE_UNREACHABLE ->
          "PostgreSQL could not be reached. Check the host and port in the secret (or the URL),"
              + " that the server runs, and the security groups and routes between here and it.";
      case SECRETS_MANAGER, OTHER -> "";
    };
  }

  public static Problem classify(Throwable failure) {
    if (secretsManagerFailure(failure) != null) {
      return Problem.SECRETS_MANAGER;
    }
    if (LoginFailures.isLoginFailure(failure)) {
      return Problem.LOGIN_REJECTED;
    }
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (isTlsFailure(cause)) {
        return Problem.TLS_FAILURE;
      }
    }
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof ConnectException
          || cause instanceof UnknownHostException
          || cause instanceof NoRouteToHostException
          || cause instanceof SocketTimeoutException) {
        return Problem.DATABASE_UNREACHABLE;
      }
    }
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof MalformedSecretException) {
        return Problem.MALFORMED_SECRET;
      }
    }
    return Problem.OTHER;
  }

  /** How the Secrets Manager call in the failure's cause chain failed; null when there is none. */
  public static @Nullable SecretsManagerFailure secretsManagerFailure(Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof SecretReadException read) {
        return read.failure();
      }
      if (cause instanceof SecretsManagerCallException call) {
        return call.failure();
      }
    }
    return null;
  }

  private static boolean isTlsFailure(Throwable cause) {
    if (cause instanceof SSLException || cause instanceof CertificateException) {
      return true;
    }
    String message = String.valueOf(cause.getMessage());
    // pgjdbc's host name check and our TlsPolicy's refusals carry no exception type of their own.
    return cause instanceof SQLException
        && (message.startsWith("SSL error")
            || message.contains("could not be verified by hostnameverifier")
            || message.startsWith("The CA file ")
            || message.contains(" is refused in "));
  }
}
