package com.pazpaz.secrets.jdbc.internal;

import java.sql.SQLException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * A Secrets Manager call of the operator tools failed. The message names the operation, the secret
 * and the AWS error code (never a secret value); the SDK's exception is the cause.
 */
public final class SecretsManagerCallException extends SQLException {

  private final String operation;
  private final SecretsManagerFailure failure;
  private final String awsErrorCode;

  private SecretsManagerCallException(
      String message,
      String operation,
      SecretsManagerFailure failure,
      String awsErrorCode,
      SdkException cause) {
    super(message, SqlStates.CONNECTION_UNABLE_TO_CONNECT, cause);
    this.operation = operation;
    this.failure = failure;
    this.awsErrorCode = awsErrorCode;
  }

  public static SecretsManagerCallException from(
      String operation, String secretId, SdkException e) {
    String code = SecretsManagerFailure.errorCode(e);
    String said = SecretsManagerFailure.whatAwsSaid(e);
    String message =
        "Secrets Manager %s on secret '%s' failed: %s%s."
            .formatted(operation, secretId, code, said == null ? "" : " (" + said + ")");
    return new SecretsManagerCallException(
        message, operation, SecretsManagerFailure.classify(e), code, e);
  }

  /** The API operation, e.g. PutSecretValue. */
  public String operation() {
    return operation;
  }

  /** What kind of failure this is. */
  public SecretsManagerFailure failure() {
    return failure;
  }

  /** The AWS error code, or a short name of the client-side failure (NoCredentials, ...). */
  public String awsErrorCode() {
    return awsErrorCode;
  }
}
