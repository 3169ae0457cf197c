package com.pazpaz.secrets.jdbc.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.pazpaz.secrets.jdbc.testing.LocalSecretsManager.Fault;
import java.io.IOException;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.DescribeSecretResponse;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueResponse;
import software.amazon.awssdk.services.secretsmanager.model.InternalServiceErrorException;
import software.amazon.awssdk.services.secretsmanager.model.InvalidParameterException;
import software.amazon.awssdk.services.secretsmanager.model.ResourceExistsException;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;
import software.amazon.awssdk.services.secretsmanager.model.SecretVersionsListEntry;
import software.amazon.awssdk.services.secretsmanager.model.SecretsManagerException;

@Timeout(60)
class LocalSecretsManagerTest {

  private static final String CURRENT = "AWSCURRENT";
  private static final String PREVIOUS = "AWSPREVIOUS";
  private static final String PENDING = "AWSPENDING";
  private static final String V1 = TestSecret.credentialsOnly("app", "one").json();
  private static final String V2 = TestSecret.credentialsOnly("app", "two").json();
  private static final ObjectMapper JSON = new ObjectMapper();

  private LocalSecretsManager server;
  private SecretsManagerClient client;

  @BeforeEach
  void start() {
    server = LocalSecretsManager.start();
    // Long enough for the default policy to exhaust its throttling back-off (up to ~7 s).
    client = client(Duration.ofSeconds(20));
  }

  @AfterEach
  void stop() {
    client.close();
    server.close();
  }

  @Test
  void endpointIsLoopback() {
    assertEquals("http", server.endpoint().getScheme());
    assertEquals("127.0.0.1", server.endpoint().getHost());
    assertTrue(server.endpoint().getPort() > 0);
    assertEquals("us-east-1", server.region());
  }

  @Test
  void createdSecretIsReadableByNameAndByArn() {
    Instant before = Instant.now().minusSeconds(1);
    String arn = server.createSecret("db/app", V1);

    assertTrue(
        arn.matches("arn:aws:secretsmanager:us-east-1:000000000000:secret:db/app-[A-Za-z]{6}"),
        arn);
    assertEquals(arn, server.arn("db/app"));
    GetSecretValueResponse byName = get("db/app");
    GetSecretValueResponse byArn = get(arn);
    for (GetSecretValueResponse response : List.of(byName, byArn)) {
      assertEquals(V1, response.secretString());
      assertNull(response.secretBinary());
      assertEquals(arn, response.arn());
      assertEquals("db/app", response.name());
      assertEquals(List.of(CURRENT), response.versionStages());
      assertEquals(server.versionId("db/app", CURRENT), response.versionId());
      assertTrue(response.createdDate().isAfter(before), response.createdDate().toString());
      assertTrue(response.createdDate().isBefore(Instant.now().plusSeconds(1)));
    }
  }

  @Test
  void secretCreatedThroughTheSdkUsesItsRequestTokenAsVersionId() {
    var created = client.createSecret(b -> b.name("sdk").secretString(V1));

    assertEquals(server.arn("sdk"), created.arn());
    assertNotNull(created.versionId(), "the SDK fills ClientRequestToken itself");
    assertEquals(created.versionId(), server.versionId("sdk", CURRENT));
    assertEquals(V1, get("sdk").secretString());
    assertThrows(
        ResourceExistsException.class,
        () -> client.createSecret(b -> b.name("sdk").secretString(V2)));
  }

  @Test
  void pendingVersionThenRotationMovesPreviousAlong() {
    server.createSecret("db/app", V1);
    String first = server.versionId("db/app", CURRENT);

    var put =
        client.putSecretValue(b -> b.secretId("db/app").secretString(V2).versionStages(PENDING));
    String pending = put.versionId();
    assertEquals(List.of(PENDING), put.versionStages());
    assertEquals(
        V2, client.getSecretValue(b -> b.secretId("db/app").versionStage(PENDING)).secretString());
    assertEquals(V1, get("db/app").secretString(), "AWSCURRENT must not move on a pending put");

    client.updateSecretVersionStage(
        b ->
            b.secretId("db/app")
                .versionStage(CURRENT)
                .moveToVersionId(pending)
                .removeFromVersionId(first));

    assertEquals(V2, get("db/app").secretString());
    assertEquals(
        V1, client.getSecretValue(b -> b.secretId("db/app").versionStage(PREVIOUS)).secretString());
    assertEquals(
        Map.of(pending, List.of(PENDING, CURRENT), first, List.of(PREVIOUS)),
        versionStages("db/app"));
  }

  @Test
  void movingALabelThatSitsElsewhereRequiresRemoveFromVersionId() {
    server.createSecret("db/app", V1);
    String pending = server.putSecretValue("db/app", V2, PENDING);

    InvalidParameterException e =
        assertThrows(
            InvalidParameterException.class,
            () ->
                client.updateSecretVersionStage(
                    b -> b.secretId("db/app").versionStage(CURRENT).moveToVersionId(pending)));
    assertTrue(e.awsErrorDetails().errorMessage().contains("RemoveFromVersionId"), e.getMessage());
    assertNotEquals(pending, server.versionId("db/app", CURRENT));
  }

  @Test
  void plainPutsShiftCurrentAndPreviousAndDropUnlabelledVersionsFromListing() {
    server.createSecret("db/app", V1);
    String first = server.versionId("db/app", CURRENT);
    String second = server.putSecretValue("db/app", V2);
    assertEquals(first, server.versionId("db/app", PREVIOUS));

    String third =
        client.putSecretValue(b -> b.secretId("db/app").secretString("three")).versionId();

    assertEquals(
        Map.of(third, List.of(CURRENT), second, List.of(PREVIOUS)), versionStages("db/app"));
    int all =
        client
            .listSecretVersionIds(b -> b.secretId("db/app").includeDeprecated(true))
            .versions()
            .size();
    assertEquals(3, all);
  }

  @Test
  void javaApiMovesAndRemovesStages() {
    server.createSecret("db/app", V1);
    String first = server.versionId("db/app", CURRENT);
    String pending = server.putSecretValue("db/app", V2, PENDING);

    server.moveStage("db/app", CURRENT, pending);
    server.removeStage("db/app", PENDING);

    assertEquals(pending, server.versionId("db/app", CURRENT));
    assertEquals(first, server.versionId("db/app", PREVIOUS));
    assertNull(server.versionId("db/app", PENDING));
    assertEquals(V2, get("db/app").secretString());
  }

  @Test
  void putWithTheSameTokenIsIdempotentButCannotChangeTheValue() {
    server.createSecret("db/app", V1);

    var first =
        client.putSecretValue(
            b ->
                b.secretId("db/app")
                    .secretString(V2)
                    .clientRequestToken("token-0001-0001-0001-000000000001"));
    var again =
        client.putSecretValue(
            b ->
                b.secretId("db/app")
                    .secretString(V2)
                    .clientRequestToken("token-0001-0001-0001-000000000001"));

    assertEquals("token-0001-0001-0001-000000000001", first.versionId());
    assertEquals(first.versionId(), again.versionId());
    assertEquals(2, versionStages("db/app").size());
    assertThrows(
        ResourceExistsException.class,
        () ->
            client.putSecretValue(
                b ->
                    b.secretId("db/app")
                        .secretString("other")
                        .clientRequestToken("token-0001-0001-0001-000000000001")));
  }

  @Test
  void binarySecretComesBackAsSecretBinary() {
    byte[] value = {0, 1, 2, (byte) 0xfe, (byte) 0xff};
    server.createBinarySecret("bin", value);

    GetSecretValueResponse response = get("bin");

    assertNull(response.secretString());
    assertArrayEquals(value, response.secretBinary().asByteArray());
  }

  @Test
  void binarySecretCanBeWrittenThroughTheSdk() {
    byte[] value = {(byte) 0x80, 0x7f, 0};
    client.createSecret(b -> b.name("bin").secretBinary(SdkBytes.fromByteArray(value)));

    assertArrayEquals(value, get("bin").secretBinary().asByteArray());
  }

  @Test
  void unknownSecretOrStageIsResourceNotFound() {
    server.createSecret("db/app", V1);

    ResourceNotFoundException noSecret =
        assertThrows(ResourceNotFoundException.class, () -> get("nope"));
    assertEquals("ResourceNotFoundException", noSecret.awsErrorDetails().errorCode());
    assertEquals(400, noSecret.statusCode());
    assertEquals(
        "Secrets Manager can't find the specified secret.",
        noSecret.awsErrorDetails().errorMessage());
    ResourceNotFoundException noStage =
        assertThrows(
            ResourceNotFoundException.class,
            () -> client.getSecretValue(b -> b.secretId("db/app").versionStage(PENDING)));
    assertTrue(
        noStage.awsErrorDetails().errorMessage().endsWith("staging label: AWSPENDING"),
        noStage.getMessage());
    assertEquals(1, server.calls("GetSecretValue", "nope"), "errors are not retried");
  }

  @Test
  void deniedSecretIsAccessDeniedByNameAndArnUntilAllowed() {
    String arn = server.createSecret("db/app", V1);
    server.createSecret("other", V2);
    server.denyAccess("db/app");

    for (String id : List.of("db/app", arn)) {
      SecretsManagerException e = assertThrows(SecretsManagerException.class, () -> get(id));
      assertEquals("AccessDeniedException", e.awsErrorDetails().errorCode());
      assertEquals(400, e.statusCode());
    }
    assertEquals(V2, get("other").secretString());

    server.allowAccess("db/app");
    assertEquals(V1, get("db/app").secretString());
  }

  @Test
  void accessDeniedFaultHitsAnySecret() {
    server.createSecret("db/app", V1);
    server.failNext(1, Fault.ACCESS_DENIED);

    SecretsManagerException e = assertThrows(SecretsManagerException.class, () -> get("db/app"));

    assertEquals("AccessDeniedException", e.awsErrorDetails().errorCode());
    assertEquals(V1, get("db/app").secretString());
  }

  @Test
  void internalErrorIsRetriedUntilAttemptsRunOut() {
    server.createSecret("db/app", V1);
    server.failAlways(Fault.INTERNAL_ERROR);

    InternalServiceErrorException e =
        assertThrows(InternalServiceErrorException.class, () -> get("db/app"));

    assertEquals("InternalServiceError", e.awsErrorDetails().errorCode());
    assertEquals(500, e.statusCode());
    assertTrue(maxAttempts() > 1);
    assertEquals(maxAttempts(), server.calls("GetSecretValue"));
  }

  @Test
  void transientInternalErrorsAreHiddenByRetries() {
    server.createSecret("db/app", V1);
    server.failNext(2, Fault.INTERNAL_ERROR);

    assertEquals(V1, get("db/app").secretString());
    assertEquals(3, server.calls("GetSecretValue"));
  }

  @Test
  void throttlingIsRetriedThenSurfacesAsThrottlingException() {
    server.createSecret("db/app", V1);
    server.failAlways(Fault.THROTTLING);

    SecretsManagerException e = assertThrows(SecretsManagerException.class, () -> get("db/app"));

    assertEquals("ThrottlingException", e.awsErrorDetails().errorCode());
    assertEquals("Rate exceeded", e.awsErrorDetails().errorMessage());
    assertTrue(e.isThrottlingException());
    assertEquals(maxAttempts(), server.calls("GetSecretValue"));
  }

  @Test
  void droppedConnectionIsAClientSideIoError() {
    server.createSecret("db/app", V1);
    server.failAlways(Fault.DROP_CONNECTION);

    SdkClientException e = assertThrows(SdkClientException.class, () -> get("db/app"));

    assertFalse(e instanceof ApiCallTimeoutException);
    assertInstanceOf(IOException.class, e.getCause(), e.toString());
    assertEquals(maxAttempts(), server.calls("GetSecretValue"), "I/O errors are retried too");
    server.clearFaults();
    assertEquals(V1, get("db/app").secretString());
  }

  @Test
  void droppedConnectionSendsNoBytes() throws Exception {
    server.failAlways(Fault.DROP_CONNECTION);
    byte[] body = "{\"SecretId\":\"x\"}".getBytes(StandardCharsets.UTF_8);
    String head =
        "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Amz-Target: secretsmanager.GetSecretValue\r\n"
            + "Content-Type: application/x-amz-json-1.1\r\nContent-Length: "
            + body.length
            + "\r\n\r\n";

    try (Socket socket = new Socket(server.endpoint().getHost(), server.endpoint().getPort())) {
      socket.setSoTimeout(5000);
      socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
      socket.getOutputStream().write(body);

      assertEquals(0, socket.getInputStream().readAllBytes().length);
    }
    assertEquals(1, server.calls("GetSecretValue"));
  }

  @Test
  void hangTimesOutAtTheApiCallTimeout() {
    server.createSecret("db/app", V1);
    server.failNext(1, Fault.HANG);
    try (SecretsManagerClient impatient = client(Duration.ofMillis(500))) {
      long start = System.nanoTime();

      assertThrows(
          ApiCallTimeoutException.class, () -> impatient.getSecretValue(b -> b.secretId("db/app")));

      long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      assertTrue(millis >= 450 && millis < 3000, millis + " ms");
      assertEquals(1, server.calls("GetSecretValue"));
      assertEquals(
          V1,
          impatient.getSecretValue(b -> b.secretId("db/app")).secretString(),
          "a hung request must not block the next one");
    }
  }

  @Test
  void hungRequestIsAnsweredAfterClearFaults() throws Exception {
    server.createSecret("db/app", V1);
    server.failNext(1, Fault.HANG);
    CompletableFuture<GetSecretValueResponse> call =
        CompletableFuture.supplyAsync(() -> get("db/app"));
    awaitCalls("GetSecretValue", 1);
    Thread.sleep(100);
    assertFalse(call.isDone());

    server.clearFaults();

    assertEquals(V1, call.get(5, TimeUnit.SECONDS).secretString());
  }

  @Test
  void closeReleasesHungRequests() throws Exception {
    server.createSecret("db/app", V1);
    server.failAlways(Fault.HANG);
    CompletableFuture<GetSecretValueResponse> call =
        CompletableFuture.supplyAsync(() -> get("db/app"));
    awaitCalls("GetSecretValue", 1);

    server.close();

    Throwable e = assertThrows(Exception.class, () -> call.get(5, TimeUnit.SECONDS)).getCause();
    assertInstanceOf(SdkClientException.class, e);
    assertFalse(e instanceof ApiCallTimeoutException, e.toString());
  }

  @Test
  void latencyDelaysEveryAnswer() {
    server.createSecret("db/app", V1);
    server.setLatency(Duration.ofMillis(300));
    long start = System.nanoTime();

    get("db/app");

    assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(300));
  }

  @Test
  void callsAreCountedPerOperationAndPerSecret() {
    String arn = server.createSecret("a", V1);
    server.createSecret("b", V2);

    get("a");
    get(arn);
    client.describeSecret(r -> r.secretId("b"));
    assertThrows(ResourceNotFoundException.class, () -> get("missing"));
    server.failNext(1, Fault.ACCESS_DENIED);
    assertThrows(SecretsManagerException.class, () -> get("b"));

    assertEquals(4, server.calls("GetSecretValue"));
    assertEquals(2, server.calls("GetSecretValue", "a"));
    assertEquals(2, server.calls("GetSecretValue", arn));
    assertEquals(1, server.calls("GetSecretValue", "b"));
    assertEquals(1, server.calls("GetSecretValue", "missing"));
    assertEquals(1, server.calls("DescribeSecret"));
    assertEquals(1, server.calls("DescribeSecret", "b"));
    assertEquals(0, server.calls("DescribeSecret", "a"));
    assertEquals(0, server.calls("PutSecretValue"));

    server.resetCounters();
    assertEquals(0, server.calls("GetSecretValue"));
    assertEquals(0, server.calls("GetSecretValue", "a"));
  }

  @Test
  void sixtyFourConcurrentCallsAllSucceedAndAreCounted() throws Exception {
    server.createSecret("db/app", V1);
    get("db/app");
    server.resetCounters();
    server.setLatency(Duration.ofMillis(200));
    server.failNext(10, Fault.INTERNAL_ERROR);
    ExecutorService pool = Executors.newFixedThreadPool(64);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<String>> results = new ArrayList<>();
      for (int i = 0; i < 64; i++) {
        results.add(
            pool.submit(
                () -> {
                  go.await();
                  return get("db/app").secretString();
                }));
      }
      long start = System.nanoTime();
      go.countDown();
      for (Future<String> result : results) {
        assertEquals(V1, result.get(30, TimeUnit.SECONDS));
      }
      long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

      assertEquals(64 + 10, server.calls("GetSecretValue"), "each injected fault costs one retry");
      assertEquals(64 + 10, server.calls("GetSecretValue", "db/app"));
      assertTrue(millis < 64 * 200 / 4, "requests must be served in parallel: " + millis + " ms");
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void describeSecretReportsVersionsAndDates() {
    Instant before = Instant.now().minusSeconds(1);
    String arn = server.createSecret("db/app", V1);
    String first = server.versionId("db/app", CURRENT);
    DescribeSecretResponse fresh = client.describeSecret(b -> b.secretId(arn));
    assertEquals(Map.of(first, List.of(CURRENT)), fresh.versionIdsToStages());
    assertNull(fresh.lastRotatedDate());
    assertNull(fresh.lastAccessedDate());

    String pending = server.putSecretValue("db/app", V2, PENDING);
    server.moveStage("db/app", CURRENT, pending);
    get("db/app");
    DescribeSecretResponse rotated = client.describeSecret(b -> b.secretId("db/app"));

    assertEquals(arn, rotated.arn());
    assertEquals("db/app", rotated.name());
    assertFalse(rotated.rotationEnabled());
    assertEquals(
        Map.of(pending, List.of(PENDING, CURRENT), first, List.of(PREVIOUS)),
        rotated.versionIdsToStages());
    assertTrue(rotated.createdDate().isAfter(before));
    assertTrue(rotated.lastRotatedDate().isAfter(rotated.createdDate().minusMillis(1)));
    assertTrue(!rotated.lastChangedDate().isBefore(rotated.lastRotatedDate()));
    assertEquals(
        Instant.now().truncatedTo(java.time.temporal.ChronoUnit.DAYS), rotated.lastAccessedDate());
  }

  @Test
  void wireFormatUsesJson11NumbersForDatesAndTypedErrors() throws Exception {
    server.createSecret("db/app", V1);

    HttpResponse<String> ok = raw("GetSecretValue", "{\"SecretId\":\"db/app\"}");
    assertEquals(200, ok.statusCode());
    assertEquals(
        "application/x-amz-json-1.1", ok.headers().firstValue("Content-Type").orElseThrow());
    assertTrue(ok.headers().firstValue("x-amzn-RequestId").orElseThrow().matches("[0-9a-f-]{36}"));
    JsonNode body = JSON.readTree(ok.body());
    assertTrue(body.get("CreatedDate").isNumber(), ok.body());
    assertTrue(body.get("CreatedDate").asDouble() > 1.7e9, ok.body());

    HttpResponse<String> unknown = raw("RotateSecret", "{\"SecretId\":\"db/app\"}");
    assertEquals(400, unknown.statusCode());
    assertEquals("UnknownOperationException", JSON.readTree(unknown.body()).get("__type").asText());
    assertEquals(1, server.calls("RotateSecret"));

    HttpResponse<String> notFound = raw("DescribeSecret", "{\"SecretId\":\"nope\"}");
    assertEquals(400, notFound.statusCode());
    assertEquals(
        "ResourceNotFoundException", JSON.readTree(notFound.body()).get("__type").asText());
  }

  @Test
  void errorsNeverEchoSecretValues() throws Exception {
    server.createSecret("db/app", V1);
    raw(
        "PutSecretValue",
        "{\"SecretId\":\"db/app\",\"ClientRequestToken\":\"t\",\"SecretString\":\"s3cr3t-a\"}");

    HttpResponse<String> clash =
        raw(
            "PutSecretValue",
            "{\"SecretId\":\"db/app\",\"ClientRequestToken\":\"t\",\"SecretString\":\"s3cr3t-b\"}");

    assertEquals(400, clash.statusCode());
    assertEquals("ResourceExistsException", JSON.readTree(clash.body()).get("__type").asText());
    assertFalse(clash.body().contains("s3cr3t"), clash.body());
  }

  private SecretsManagerClient client(Duration apiCallTimeout) {
    return SecretsManagerClient.builder()
        .endpointOverride(server.endpoint())
        .region(Region.US_EAST_1)
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
        .httpClient(UrlConnectionHttpClient.create())
        .overrideConfiguration(b -> b.apiCallTimeout(apiCallTimeout))
        .build();
  }

  private GetSecretValueResponse get(String secretId) {
    return client.getSecretValue(b -> b.secretId(secretId));
  }

  private Map<String, List<String>> versionStages(String secretId) {
    return client.listSecretVersionIds(b -> b.secretId(secretId)).versions().stream()
        .collect(
            Collectors.toMap(
                SecretVersionsListEntry::versionId, SecretVersionsListEntry::versionStages));
  }

  /**
   * Attempts per call under the client's default retry strategy (4 in legacy mode, 3 in standard).
   */
  private int maxAttempts() {
    return client
        .serviceClientConfiguration()
        .overrideConfiguration()
        .retryStrategy()
        .orElseThrow()
        .maxAttempts();
  }

  private void awaitCalls(String operation, int calls) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (server.calls(operation) < calls) {
      assertTrue(System.nanoTime() < deadline, "no " + operation + " call arrived");
      Thread.sleep(10);
    }
  }

  /** A request by hand, to check the wire format the SDK hides. */
  private HttpResponse<String> raw(String operation, String body)
      throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(server.endpoint().resolve("/"))
            .header("X-Amz-Target", "secretsmanager." + operation)
            .header("Content-Type", "application/x-amz-json-1.1")
            .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
            .build();
    return HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .build()
        .send(request, HttpResponse.BodyHandlers.ofString());
  }
}
