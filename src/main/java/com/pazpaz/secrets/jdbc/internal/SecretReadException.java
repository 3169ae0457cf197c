package com.pazpaz.secrets.jdbc.internal;

import java.sql.SQLException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Secrets Manager could not be read. The message names the secret, the AWS error code and what to
 * do; the SDK's exception is the cause. This is the failure that allows the {@code DATABASE_URL}
 * fallback.
 */
public final class SecretReadException extends SQLException {

  /** What the driver needs on the secret, named when access is denied. */
  static final String DRIVER_IAM_ACTIONS = "secretsmanager:GetSecretValue";

  private final SecretsManagerFailure failure;
  private final String awsErrorCode;

  private SecretReadException(
      String message, SecretsManagerFailure failure, String awsErrorCode, Throwable cause) {
    super(message, SqlStates.CONNECTION_UNABLE_TO_CONNECT, cause);
    this.failure = failure;
    this.awsErrorCode = awsErrorCode;
  }

  /** What kind of failure this is. */
  public SecretsManagerFailure failure() {
    return failure;
  }

  /** The AWS error code, or a short name of the client-side failure, as events show it. */
  public String awsErrorCode() {
    return awsErrorCode;
  }

  /**
   * The {@code error} field of a {@code failed_to_fetch_secret} event: the AWS error code, or
   * {@code MalformedSecret} when the secret was read but cannot be used.
   */
  static String eventCode(SQLException failure) {
    return failure instanceof SecretReadException read ? read.awsErrorCode() : "MalformedSecret";
  }

  public static SecretReadException from(SecretLocation location, SdkException sdkFailure) {
    SecretsManagerFailure failure = SecretsManagerFailure.classify(sdkFailure);
    String code = SecretsManagerFailure.errorCode(sdkFailure);
    String said = SecretsManagerFailure.whatAwsSaid(sdkFailure);
    String message =
        "Could not read secret '%s' (stage %s, region %s%s) from Secrets Manager: %s %s"
            .formatted(
                location.secretId(),
                location.versionStage(),
                describeRegion(location),
                describeEndpoint(location),
                sentence(said == null ? code : code + ": " + said),
                failure.advice(DRIVER_IAM_ACTIONS))
            .strip();
    return new SecretReadException(message, failure, code, sdkFailure);
  }

  private static String sentence(String text) {
    return text.endsWith(".") ? text : text + ".";
  }

  private static String describeRegion(SecretLocation location) {
    String region = location.client().region();
    return region == null ? "from the AWS SDK chain" : region;
  }

  private static String describeEndpoint(SecretLocation location) {
    return location.client().endpoint() == null ? "" : ", endpoint " + location.client().endpoint();
  }
}
