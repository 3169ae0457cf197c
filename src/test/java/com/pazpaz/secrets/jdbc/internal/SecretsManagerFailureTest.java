package com.pazpaz.secrets.jdbc.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.secretsmanager.model.DecryptionFailureException;
import software.amazon.awssdk.services.secretsmanager.model.InternalServiceErrorException;
import software.amazon.awssdk.services.secretsmanager.model.InvalidRequestException;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;
import software.amazon.awssdk.services.secretsmanager.model.SecretsManagerException;

/**
 * Secrets Manager failures are classified from the AWS SDK's own exceptions: the answers of the
 * service as the SDK builds them, and the client-side failures a user meets on a machine without a
 * region, credentials or a network path.
 */
class SecretsManagerFailureTest {

  private static AwsServiceException answer(
      SecretsManagerException.Builder builder, String code, int status) {
    return builder
        .awsErrorDetails(
            AwsErrorDetails.builder()
                .errorCode(code)
                .errorMessage("Secrets Manager says " + code)
                .serviceName("SecretsManager")
                .build())
        .statusCode(status)
        .build();
  }

  private static void assertKind(
      SecretsManagerFailure kind, String code, boolean transientFailure, SdkException failure) {
    assertEquals(kind, SecretsManagerFailure.classify(failure), failure.toString());
    assertEquals(code, SecretsManagerFailure.errorCode(failure), failure.toString());
    assertEquals(transientFailure, kind.isTransient(), kind.name());
  }

  @Test
  void aMissingSecretIsNotFoundAndAConfigurationError() {
    assertKind(
        SecretsManagerFailure.NOT_FOUND,
        "ResourceNotFoundException",
        false,
        answer(ResourceNotFoundException.builder(), "ResourceNotFoundException", 400));
  }

  @Test
  void accessDeniedIsRecognisedByItsErrorCodeAndItsAdviceNamesTheActionsNeeded() {
    AwsServiceException denied =
        answer(SecretsManagerException.builder(), "AccessDeniedException", 400);
    assertKind(SecretsManagerFailure.ACCESS_DENIED, "AccessDeniedException", false, denied);
    assertTrue(
        SecretsManagerFailure.ACCESS_DENIED
            .advice("secretsmanager:DescribeSecret")
            .contains("needs secretsmanager:DescribeSecret on the secret's ARN"));
  }

  @Test
  void aKeyThatCannotDecryptIsKmsDecrypt() {
    assertKind(
        SecretsManagerFailure.KMS_DECRYPT,
        "DecryptionFailure",
        false,
        answer(DecryptionFailureException.builder(), "DecryptionFailure", 400));
  }

  @Test
  void throttlingAndServiceErrorsAreTransientAndKeepTheCodeAwsSent() {
    assertKind(
        SecretsManagerFailure.THROTTLED,
        "ThrottlingException",
        true,
        answer(SecretsManagerException.builder(), "ThrottlingException", 400));
    assertKind(
        SecretsManagerFailure.SERVICE_ERROR,
        "InternalServiceError",
        true,
        answer(InternalServiceErrorException.builder(), "InternalServiceError", 500));
    assertKind(
        SecretsManagerFailure.SERVICE_ERROR,
        "ServiceUnavailable",
        true,
        answer(SecretsManagerException.builder(), "ServiceUnavailable", 503));
  }

  @Test
  void bothTimeoutsAreTransient() {
    assertKind(
        SecretsManagerFailure.TIMEOUT,
        "ApiCallTimeout",
        true,
        ApiCallTimeoutException.create(2000));
    assertKind(
        SecretsManagerFailure.TIMEOUT,
        "ApiCallTimeout",
        true,
        ApiCallAttemptTimeoutException.create(500));
  }

  @Test
  void aFailedHttpExchangeIsUnreachable() {
    SdkClientException reset =
        SdkClientException.builder()
            .message("Unable to execute HTTP request: Connection reset")
            .cause(new java.net.SocketException("Connection reset"))
            .build();
    assertKind(SecretsManagerFailure.UNREACHABLE, "ClientError", true, reset);
  }

  @Test
  void anyOtherFailureIsOtherWithTheCodeItCameWithAndNoAdvice() {
    assertKind(
        SecretsManagerFailure.OTHER,
        "InvalidRequestException",
        false,
        answer(InvalidRequestException.builder(), "InvalidRequestException", 400));
    assertKind(
        SecretsManagerFailure.OTHER,
        "ClientError",
        false,
        SdkClientException.create("Unable to unmarshall response"));
    assertEquals("", SecretsManagerFailure.OTHER.advice("secretsmanager:GetSecretValue"));
  }

  @Test
  void theDriverAndTheToolsPrintTheSameAdvice() {
    AwsServiceException notFound =
        answer(ResourceNotFoundException.builder(), "ResourceNotFoundException", 400);
    ClientSettings client =
        new ClientSettings(
            "eu-west-1", URI.create("http://127.0.0.1:9"), null, Duration.ofSeconds(2));
    String advice = SecretsManagerFailure.NOT_FOUND.advice("any");

    SecretReadException driver =
        SecretReadException.from(new SecretLocation(client, "app/db", "AWSCURRENT"), notFound);
    assertEquals(SecretsManagerFailure.NOT_FOUND, driver.failure());
    assertTrue(
        driver
            .getMessage()
            .startsWith(
                "Could not read secret 'app/db' (stage AWSCURRENT, region eu-west-1, endpoint"
                    + " http://127.0.0.1:9) from Secrets Manager: ResourceNotFoundException: "),
        driver.getMessage());
    assertTrue(driver.getMessage().endsWith(advice), driver.getMessage());

    SecretsManagerCallException tool =
        SecretsManagerCallException.from("GetSecretValue", "app/db", notFound);
    assertEquals(List.of(advice), Troubleshooting.forVerify().advice(tool));
    assertEquals(List.of(advice), Troubleshooting.forRotate().advice(driver));
  }

  /** A fresh JVM with an empty environment: nothing on this machine supplies region or keys. */
  @Test
  void aMachineWithoutRegionCredentialsOrNetworkPathGetsTheseKinds() throws Exception {
    Path home = Files.createTempDirectory(Path.of("target"), "no-aws-home");
    ProcessBuilder child =
        new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Djava.io.tmpdir=" + home.toAbsolutePath(),
            "-Duser.home=" + home.toAbsolutePath(),
            "-cp",
            System.getProperty("java.class.path"),
            SdkFailureProbe.class.getName());
    child.environment().clear();
    child.environment().put("HOME", home.toAbsolutePath().toString());
    child.environment().put("AWS_EC2_METADATA_DISABLED", "true");
    child.redirectErrorStream(true);
    File output = home.resolve("probe.log").toFile();
    child.redirectOutput(output);
    Process process = child.start();
    assertTrue(process.waitFor(120, TimeUnit.SECONDS), "child JVM did not finish");
    String printed = read(output);
    assertEquals(0, process.exitValue(), printed);

    List<String> expected =
        List.of(
            "no-region NO_REGION NoRegion",
            "no-credentials NO_CREDENTIALS NoCredentials",
            "unknown-profile NO_CREDENTIALS NoCredentials",
            "connection-refused UNREACHABLE ClientError",
            "no-answer TIMEOUT ApiCallTimeout");
    for (String line : expected) {
      assertTrue(printed.lines().anyMatch(line::equals), "'" + line + "' not in:\n" + printed);
    }
    assertFalse(printed.contains("probe-secret-key"), printed);
  }

  private static String read(File file) throws IOException {
    return Files.readString(file.toPath());
  }
}
