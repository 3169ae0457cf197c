package com.pazpaz.secrets.jdbc.internal;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.security.cert.CertificateException;
import java.sql.SQLException;
import java.util.List;
import javax.net.ssl.SSLException;

/**
 * What to do about a failure of the operator tools: it sorts the driver's, pgjdbc's and the AWS
 * SDK's exceptions into the problems operators meet (secret not found, access denied, no AWS
 * credentials, login rejected, TLS failure, ...) and gives the advice for each. The IAM actions
 * named depend on the command.
 */
public final class Troubleshooting {

  /** The kinds of failure the advice distinguishes. */
  public enum Problem {
    SECRET_NOT_FOUND,
    ACCESS_DENIED,
    NO_CREDENTIALS,
    NO_REGION,
    KMS_DECRYPT,
    SECRETS_MANAGER_UNREACHABLE,
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
        "secretsmanager:GetSecretValue (and DescribeSecret, for the rotation date)",
        "PostgreSQL rejected the secret's user and password: the database and the secret"
            + " disagree. If a rotation was interrupted, run rotate with the same URL: it"
            + " completes it. If the password was changed by hand, run rotate --master-secret ID"
            + " (a secret whose login may ALTER ROLE) to set a new one, or store the role's real"
            + " password in the secret.");
  }

  public static Troubleshooting forRotate() {
    return new Troubleshooting(
        "secretsmanager:GetSecretValue, DescribeSecret, PutSecretValue and"
            + " UpdateSecretVersionStage (GetSecretValue on the master secret too, for a master"
            + " login)",
        "PostgreSQL rejected a login the rotation needs (the message names it). Run verify with"
            + " the same URL to see which credentials work. When no password in the secret"
            + " works any more, run rotate --master-secret ID: a login that may ALTER ROLE sets"
            + " the new password.");
  }

  /** The advice for a failure, one paragraph a line; empty when there is nothing to add. */
  public List<String> advice(Throwable failure) {
    return switch (classify(failure)) {
      case SECRET_NOT_FOUND ->
          List.of(
              "Secret not found. Check its name or ARN (in the URL, the key secretId or env"
                  + " DB_SECRETS_MANAGER_KEY_NAME) and the region (key region, env AWS_REGION,"
                  + " or use the secret's full ARN).");
      case ACCESS_DENIED ->
          List.of(
              "Access denied. The AWS identity running this needs "
                  + iamActions
                  + " on the secret's ARN, and kms:Decrypt on its KMS key when that is a customer"
                  + " managed key. See README, \"Operator tools\".");
      case NO_CREDENTIALS ->
          List.of(
              "No AWS credentials. Run where an IAM role is attached (instance, task, pod), or set"
                  + " AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN), or a"
                  + " profile with static keys (AWS_PROFILE, key awsProfile). The drop-in jar"
                  + " cannot use SSO profiles: export their credentials first, e.g."
                  + " eval \"$(aws configure export-credentials --profile NAME --format env)\".");
      case NO_REGION ->
          List.of("No AWS region. Set AWS_REGION or the key region, or use the secret's full ARN.");
      case KMS_DECRYPT ->
          List.of("Secrets Manager could not decrypt the secret: grant kms:Decrypt on its key.");
      case SECRETS_MANAGER_UNREACHABLE ->
          List.of(
              "Secrets Manager could not be reached. Check the endpoint (key endpoint, env"
                  + " AWS_ENDPOINT_URL_SECRETS_MANAGER), the proxy, the VPC endpoint and the"
                  + " security groups.");
      case MALFORMED_SECRET ->
          List.of(
              "Fix the secret: a JSON object in SecretString with username, password, host, port"
                  + " and database (ssl_cert_path optional).");
      case LOGIN_REJECTED -> List.of(loginRejected);
      case TLS_FAILURE ->
          List.of(
              "TLS failed: the server's certificate is not signed by the CA file in use (key"
                  + " sslrootcert, else the secret's ssl_cert_path, else "
                  + TlsPolicy.DEFAULT_CA_FILE
                  + "), that file is missing, or the host name is not in the certificate. For RDS"
                  + " use the region's global-bundle.pem and the instance's endpoint name.");
      case DATABASE_UNREACHABLE ->
          List.of(
              "PostgreSQL could not be reached. Check the host and port in the secret (or the"
                  + " URL), that the server runs, and the security groups and routes between"
                  + " here and it.");
      case OTHER -> List.of();
    };
  }

  public static Problem classify(Throwable failure) {
    String awsCode = awsErrorCode(failure);
    if (awsCode != null) {
      return switch (awsCode) {
        case SecretReadException.NOT_FOUND -> Problem.SECRET_NOT_FOUND;
        case "AccessDeniedException" -> Problem.ACCESS_DENIED;
        case "NoCredentials" -> Problem.NO_CREDENTIALS;
        case "NoRegion" -> Problem.NO_REGION;
        case "DecryptionFailure" -> Problem.KMS_DECRYPT;
        case "ApiCallTimeout", "ClientError" -> Problem.SECRETS_MANAGER_UNREACHABLE;
        default -> Problem.OTHER;
      };
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
    if (String.valueOf(failure.getMessage()).contains("' cannot be used: ")) {
      return Problem.MALFORMED_SECRET;
    }
    return Problem.OTHER;
  }

  private static String awsErrorCode(Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof SecretReadException read) {
        return read.awsErrorCode();
      }
      if (cause instanceof SecretsManagerCallException call) {
        return call.awsErrorCode();
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
