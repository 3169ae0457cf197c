package com.pazpaz.secrets.jdbc.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.secretsmanager.model.SecretsManagerException;

/**
 * Which primary failures send a read to the replica regions. A stub reader stands for the regions
 * here; ReplicaRegionTest runs the same against two local Secrets Manager endpoints.
 */
class ReplicaFallbackReaderTest {

  private static final ClientSettings PRIMARY =
      new ClientSettings("us-east-1", null, null, Duration.ofSeconds(10));
  private static final SecretLocation LOCATION =
      new SecretLocation(
          PRIMARY,
          "clinic/db",
          "AWSCURRENT",
          List.of(new ReplicaRegion("us-west-2", null), new ReplicaRegion("eu-west-1", null)));
  private static final FetchedSecret SECRET =
      new FetchedSecret(
          new DatabaseSecret("app", "not-a-real-password", "db", 5432, "clinic", null),
          "v1",
          Instant.EPOCH);

  enum PrimaryFailure {
    INTERNAL_ERROR(true, () -> aws(500, "InternalServiceError")),
    SERVICE_UNAVAILABLE(true, () -> aws(503, "ServiceUnavailable")),
    THROTTLING(true, () -> aws(400, "ThrottlingException")),
    TIMEOUT(true, () -> ApiCallTimeoutException.create(10_000)),
    UNREACHABLE(
        true,
        () ->
            SdkClientException.create(
                "Unable to execute HTTP request: Connection refused",
                new java.net.ConnectException("Connection refused"))),
    NOT_FOUND(false, () -> aws(400, "ResourceNotFoundException")),
    ACCESS_DENIED(false, () -> aws(400, "AccessDeniedException")),
    DECRYPTION_FAILURE(false, () -> aws(400, "DecryptionFailure")),
    NO_CREDENTIALS(
        false, () -> SdkClientException.create("Unable to load credentials from any provider"));

    final boolean triesReplicas;
    final Supplier<SdkException> failure;

    PrimaryFailure(boolean triesReplicas, Supplier<SdkException> failure) {
      this.triesReplicas = triesReplicas;
      this.failure = failure;
    }
  }

  private static SdkException aws(int status, String code) {
    return SecretsManagerException.builder()
        .statusCode(status)
        .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage(code).build())
        .build();
  }

  @ParameterizedTest
  @EnumSource(PrimaryFailure.class)
  void onlyTransientPrimaryFailuresAreReadFromAReplica(PrimaryFailure primaryFailure)
      throws Exception {
    List<String> regionsRead = new ArrayList<>();
    ReplicaFallbackReader reader =
        new ReplicaFallbackReader(
            location -> {
              regionsRead.add(location.client().region());
              if (location.client().region().equals("us-east-1")) {
                throw SecretReadException.from(location, primaryFailure.failure.get());
              }
              return SECRET;
            });
    if (primaryFailure.triesReplicas) {
      FetchedSecret secret = reader.fetch(LOCATION);
      assertEquals("us-west-2", secret.replicaRegion());
      assertEquals(List.of("us-east-1", "us-west-2"), regionsRead);
    } else {
      assertThrows(SecretReadException.class, () -> reader.fetch(LOCATION));
      assertEquals(List.of("us-east-1"), regionsRead);
    }
  }

  @Test
  void replicasAreTriedInOrderAndTheirFailuresAreKeptWithThePrimarys() {
    List<String> regionsRead = new ArrayList<>();
    ReplicaFallbackReader reader =
        new ReplicaFallbackReader(
            location -> {
              regionsRead.add(location.client().region());
              throw SecretReadException.from(location, aws(500, "InternalServiceError"));
            });
    SecretReadException e = assertThrows(SecretReadException.class, () -> reader.fetch(LOCATION));
    assertEquals(List.of("us-east-1", "us-west-2", "eu-west-1"), regionsRead);
    assertEquals(2, e.getSuppressed().length);
    assertEquals("InternalServiceError", e.awsErrorCode());
  }

  @Test
  void aPrimaryThatAnswersIsServedAsItIs() throws Exception {
    ReplicaFallbackReader reader = new ReplicaFallbackReader(location -> SECRET);
    FetchedSecret secret = reader.fetch(LOCATION);
    assertSame(SECRET, secret);
    assertNull(secret.replicaRegion());
  }

  @Test
  void aValueFromAReplicaIsRefreshedSoonerSoThatThePrimaryIsTriedAgain() {
    Duration hour = Duration.ofHours(1);
    assertEquals(Instant.EPOCH.plus(hour), SECRET.refreshDueAt(hour));
    assertEquals(
        Instant.EPOCH.plus(FetchedSecret.PRIMARY_RETRY_INTERVAL),
        SECRET.fromReplica("us-west-2").refreshDueAt(hour));
    assertEquals(
        Instant.EPOCH.plusSeconds(1),
        SECRET.fromReplica("us-west-2").refreshDueAt(Duration.ofSeconds(1)));
  }
}
