package com.pazpaz.secrets.jdbc.internal;

import java.io.IOException;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.regions.providers.AwsRegionProvider;
import software.amazon.awssdk.services.secretsmanager.model.DecryptionFailureException;
import software.amazon.awssdk.services.secretsmanager.model.InternalServiceErrorException;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;

/**
 * Why a Secrets Manager call failed, classified once from the AWS SDK's exception types and error
 * codes, never from message text. Each kind carries the advice that the driver's exception and the
 * operator tools print, and whether it is a configuration error (a person must fix something) or a
 * transient one (the same call may work later, or in another region).
 *
 * <p>The AWS SDK (2.57) has no exception types of its own for missing credentials or a missing
 * region: {@code AwsCredentialsProviderChain} and {@code AwsRegionProviderChain} throw a plain
 * {@link SdkClientException}. Those two are recognised by where they were thrown: inside a
 * credentials provider's {@code resolveCredentials}/{@code resolveIdentity}, or inside a region
 * provider's {@code getRegion}.
 */
public enum SecretsManagerFailure {
  NOT_FOUND(
      null,
      false,
      "Secret not found. Check its name or ARN (in the URL, the key secretId or env"
          + " DB_SECRETS_MANAGER_KEY_NAME) and the region (key region, env AWS_REGION, or use the"
          + " secret's full ARN); for a stage other than AWSCURRENT, check that a version carries"
          + " it."),
  ACCESS_DENIED(
      null,
      false,
      "Access denied. The AWS identity running this needs %s on the secret's ARN, and kms:Decrypt"
          + " on its KMS key when that is a customer managed key (README, \"The IAM policy the"
          + " application's role needs\")."),
  KMS_DECRYPT(
      null,
      false,
      "Secrets Manager could not decrypt the secret: the AWS identity running this needs"
          + " kms:Decrypt on the secret's KMS key."),
  NO_CREDENTIALS(
      "NoCredentials",
      false,
      "No AWS credentials were found. Run where an IAM role is attached (instance, task, pod), or"
          + " set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN), or a"
          + " profile with static keys (key awsProfile, env AWS_PROFILE). The drop-in jar cannot"
          + " use SSO profiles: export their credentials first, e.g."
          + " eval \"$(aws configure export-credentials --profile NAME --format env)\"."),
  NO_REGION(
      "NoRegion",
      false,
      "No AWS region is known: set the key region or env AWS_REGION, or use the secret's full"
          + " ARN."),
  TIMEOUT(
      "ApiCallTimeout",
      true,
      "Secrets Manager did not answer within awsApiCallTimeout: check the network path to it"
          + " (VPC endpoint, proxy, security groups; key endpoint, env"
          + " AWS_ENDPOINT_URL_SECRETS_MANAGER), or raise awsApiCallTimeout if it is only slow."),
  UNREACHABLE(
      SecretsManagerFailure.CLIENT_ERROR,
      true,
      "Could not reach Secrets Manager: check the endpoint (key endpoint, env"
          + " AWS_ENDPOINT_URL_SECRETS_MANAGER), the proxy, the VPC endpoint and the security"
          + " groups."),
  THROTTLED(
      null,
      true,
      "Secrets Manager throttled the call; this passes. If it lasts, look for what else calls"
          + " Secrets Manager so often in this account and region (the driver reads a secret once"
          + " per cacheTtl)."),
  SERVICE_ERROR(
      null,
      true,
      "Secrets Manager failed on its side; this passes. If it lasts, check the AWS Health"
          + " Dashboard for the region."),
  /** Anything else: the code and the SDK's message say what it is; there is no advice to add. */
  OTHER(null, false, "");

  /** The code of every failed HTTP exchange and other client-side SDK failures. */
  private static final String CLIENT_ERROR = "ClientError";

  private static final String CREDENTIALS_PACKAGE =
      AwsCredentialsProvider.class.getPackageName() + ".";
  private static final String REGIONS_PACKAGE = AwsRegionProvider.class.getPackageName() + ".";

  private final @Nullable String clientSideCode;
  private final boolean transientFailure;
  private final String advice;

  SecretsManagerFailure(@Nullable String clientSideCode, boolean transientFailure, String advice) {
    this.clientSideCode = clientSideCode;
    this.transientFailure = transientFailure;
    this.advice = advice;
  }

  /** The kind of a failed call: by the SDK's exception types, then by the AWS error code. */
  public static SecretsManagerFailure classify(SdkException failure) {
    // First, as a credentials provider may itself call AWS (STS) and fail with a service error.
    if (thrownWhere(failure, SecretsManagerFailure::resolvingCredentials)) {
      return NO_CREDENTIALS;
    }
    if (thrownWhere(failure, SecretsManagerFailure::resolvingRegion)) {
      return NO_REGION;
    }
    if (failure instanceof SdkServiceException service) {
      return classifyAnswer(service);
    }
    if (causedBy(failure, ApiCallTimeoutException.class)
        || causedBy(failure, ApiCallAttemptTimeoutException.class)) {
      return TIMEOUT;
    }
    // The SDK wraps every failed HTTP exchange (refused, reset, DNS, TLS) in an SdkClientException
    // whose cause is the IOException.
    if (failure instanceof SdkClientException && causedBy(failure, IOException.class)) {
      return UNREACHABLE;
    }
    return OTHER;
  }

  private static SecretsManagerFailure classifyAnswer(SdkServiceException answer) {
    if (answer instanceof ResourceNotFoundException) {
      return NOT_FOUND;
    }
    if (answer instanceof DecryptionFailureException) {
      return KMS_DECRYPT;
    }
    if ("AccessDeniedException".equals(awsErrorCode(answer))) {
      return ACCESS_DENIED;
    }
    if (answer.isThrottlingException()) {
      return THROTTLED;
    }
    if (answer instanceof InternalServiceErrorException || answer.statusCode() >= 500) {
      return SERVICE_ERROR;
    }
    return OTHER;
  }

  /**
   * The code that events ({@code failed_to_fetch_secret ... error=CODE}) and messages show: the AWS
   * error code when Secrets Manager answered, else a short name of the client-side failure ({@code
   * NoCredentials}, {@code NoRegion}, {@code ApiCallTimeout}, {@code ClientError}).
   */
  public static String errorCode(SdkException failure) {
    SecretsManagerFailure kind = classify(failure);
    if (kind.clientSideCode != null) {
      return kind.clientSideCode;
    }
    String awsCode = awsErrorCode(failure);
    if (awsCode != null) {
      return awsCode;
    }
    return failure instanceof SdkClientException
        ? CLIENT_ERROR
        : failure.getClass().getSimpleName();
  }

  /**
   * What AWS said, without the SDK's request details, or the message of a client-side failure; null
   * when there is neither.
   */
  public static @Nullable String whatAwsSaid(@Nullable Throwable failure) {
    if (failure instanceof AwsServiceException aws
        && aws.awsErrorDetails() != null
        && aws.awsErrorDetails().errorMessage() != null) {
      return aws.awsErrorDetails().errorMessage();
    }
    return failure == null ? null : failure.getMessage();
  }

  /**
   * What to do, one paragraph; empty for {@link #OTHER}.
   *
   * @param iamActions the IAM actions the caller needs on the secret, named when access is denied
   */
  public String advice(String iamActions) {
    return this == ACCESS_DENIED ? advice.formatted(iamActions) : advice;
  }

  /** True when the same call may work later or elsewhere: a timeout, no answer, throttling. */
  public boolean isTransient() {
    return transientFailure;
  }

  private static @Nullable String awsErrorCode(SdkException failure) {
    return failure instanceof AwsServiceException aws && aws.awsErrorDetails() != null
        ? aws.awsErrorDetails().errorCode()
        : null;
  }

  private static boolean resolvingCredentials(StackTraceElement frame) {
    return frame.getClassName().startsWith(CREDENTIALS_PACKAGE)
        && (frame.getMethodName().equals("resolveCredentials")
            || frame.getMethodName().equals("resolveIdentity"));
  }

  private static boolean resolvingRegion(StackTraceElement frame) {
    return frame.getClassName().startsWith(REGIONS_PACKAGE)
        && frame.getMethodName().equals("getRegion");
  }

  /** Whether the failure or one of its causes was thrown inside a frame the test picks. */
  private static boolean thrownWhere(Throwable failure, Predicate<StackTraceElement> frameTest) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      for (StackTraceElement frame : cause.getStackTrace()) {
        if (frameTest.test(frame)) {
          return true;
        }
      }
    }
    return false;
  }

  private static boolean causedBy(Throwable failure, Class<? extends Throwable> type) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (type.isInstance(cause)) {
        return true;
      }
    }
    return false;
  }
}
