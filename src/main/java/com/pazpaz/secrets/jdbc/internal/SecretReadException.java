package com.pazpaz.secrets.jdbc.internal;

import java.sql.SQLException;
import java.util.Locale;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.secretsmanager.model.SecretsManagerException;

/**
 * Secrets Manager could not be read. The message names the secret, the AWS error code and what to
 * do; the SDK's exception is the cause. This is the failure that allows the {@code DATABASE_URL}
 * fallback.
 */
public final class SecretReadException extends SQLException {

  public static final String NOT_FOUND = "ResourceNotFoundException";

  private final String awsErrorCode;

  private SecretReadException(String message, String awsErrorCode, Throwable cause) {
    super(message, SqlStates.CONNECTION_REJECTED, cause);
    this.awsErrorCode = awsErrorCode;
  }

  /** The AWS error code, or a short name of the client-side failure. */
  public String awsErrorCode() {
    return awsErrorCode;
  }

  public static SecretReadException from(SecretLocation location, SdkException failure) {
    String code = errorCode(failure);
    String where =
        "Could not read secret '"
            + location.secretId()
            + "' (stage "
            + location.versionStage()
            + ", region "
            + describeRegion(location)
            + ") from Secrets Manager: "
            + code
            + ". ";
    return new SecretReadException(where + advice(location, code, failure), code, failure);
  }

  /** The AWS error code of a failed call, or a short name of a client-side failure. */
  public static String errorCode(SdkException failure) {
    if (failure instanceof SecretsManagerException aws && aws.awsErrorDetails() != null) {
      return aws.awsErrorDetails().errorCode();
    }
    if (failure instanceof ApiCallTimeoutException) {
      return "ApiCallTimeout";
    }
    String message = String.valueOf(failure.getMessage()).toLowerCase(Locale.ROOT);
    if (message.contains("unable to load region")) {
      return "NoRegion";
    }
    if (message.contains("credentials")) {
      return "NoCredentials";
    }
    return failure instanceof SdkClientException
        ? "ClientError"
        : failure.getClass().getSimpleName();
  }

  private static String advice(SecretLocation location, String code, SdkException failure) {
    return switch (code) {
      case NOT_FOUND ->
          "Check the secret name or ARN (URL, key secretId, env DB_SECRETS_MANAGER_KEY_NAME) and"
              + " the region; for a non-default stage check that a version carries "
              + location.versionStage()
              + ".";
      case "AccessDeniedException" ->
          "The application's IAM role needs secretsmanager:GetSecretValue on the secret's ARN"
              + " (and kms:Decrypt on its KMS key when it uses a customer managed key).";
      case "DecryptionFailure" ->
          "Secrets Manager could not decrypt the secret: the role needs kms:Decrypt on the"
              + " secret's KMS key.";
      case "NoCredentials" ->
          "No AWS credentials were found: attach an IAM role to the instance, task or pod, or set"
              + " a profile (key awsProfile / env AWS_PROFILE), or AWS_ACCESS_KEY_ID and"
              + " AWS_SECRET_ACCESS_KEY. SDK said: "
              + failure.getMessage();
      case "NoRegion" ->
          "No AWS region is known: set the key region or env AWS_REGION, or use the secret's"
              + " full ARN.";
      case "ApiCallTimeout" ->
          "Secrets Manager did not answer within awsApiCallTimeout ("
              + location.client().apiCallTimeout()
              + "): check the network path to "
              + describeEndpoint(location)
              + " (VPC endpoint, proxy, security group).";
      case "ClientError" ->
          "Could not reach "
              + describeEndpoint(location)
              + ": "
              + failure.getMessage()
              + " Check the endpoint and the network path.";
      default ->
          "Secrets Manager answered with an error"
              + (failure.getMessage() == null ? "." : ": " + failure.getMessage());
    };
  }

  private static String describeRegion(SecretLocation location) {
    String region = location.client().region();
    return region == null ? "from the AWS SDK chain" : region;
  }

  private static String describeEndpoint(SecretLocation location) {
    return location.client().endpoint() == null
        ? "the Secrets Manager endpoint"
        : location.client().endpoint().toString();
  }
}
