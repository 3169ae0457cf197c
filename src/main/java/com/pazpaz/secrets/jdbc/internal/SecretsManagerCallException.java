package com.pazpaz.secrets.jdbc.internal;

import java.sql.SQLException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * A Secrets Manager call of the operator tools failed. The message names the operation, the secret
 * and the AWS error code (never a secret value); the SDK's exception is the cause.
 */
public final class SecretsManagerCallException extends SQLException {

  private final String operation;
  private final String awsErrorCode;

  private SecretsManagerCallException(
      String message, String operation, String awsErrorCode, SdkException cause) {
    super(message, SqlStates.CONNECTION_REJECTED, cause);
    this.operation = operation;
    this.awsErrorCode = awsErrorCode;
  }

  public static SecretsManagerCallException from(
      String operation, String secretId, SdkException e) {
    String code = SecretReadException.errorCode(e);
    String said = whatAwsSaid(e);
    String detail = said == null ? "" : " (" + said + ")";
    return new SecretsManagerCallException(
        "Secrets Manager "
            + operation
            + " on secret '"
            + secretId
            + "' failed: "
            + code
            + detail
            + ".",
        operation,
        code,
        e);
  }

  /**
   * The error message of an AWS error without the SDK's request details, the message of a
   * client-side failure, or null.
   */
  public static String whatAwsSaid(Throwable failure) {
    if (failure instanceof AwsServiceException aws
        && aws.awsErrorDetails() != null
        && aws.awsErrorDetails().errorMessage() != null) {
      return aws.awsErrorDetails().errorMessage();
    }
    return failure == null ? null : failure.getMessage();
  }

  /** The API operation, e.g. PutSecretValue. */
  public String operation() {
    return operation;
  }

  /** The AWS error code, or a short name of the client-side failure (NoCredentials, ...). */
  public String awsErrorCode() {
    return awsErrorCode;
  }
}
