package com.pazpaz.secrets.jdbc.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An in-process AWS Secrets Manager for tests: an HTTP server on 127.0.0.1 that speaks the Secrets
 * Manager JSON 1.1 protocol, so code under test talks to it through the real SDK client ({@code
 * endpointOverride(server.endpoint())}).
 *
 * <p>Besides the protocol it offers test controls: a Java API to seed and rotate secrets, call
 * counters, injected faults, denied secrets and latency. All methods are thread-safe.
 *
 * <p>Supported operations: GetSecretValue, DescribeSecret, CreateSecret, PutSecretValue,
 * UpdateSecretVersionStage, ListSecretVersionIds. Request signatures are ignored.
 */
public final class LocalSecretsManager implements AutoCloseable {

  /** A failure injected in place of the normal answer. */
  public enum Fault {
    /** 500 {@code InternalServiceError}. */
    INTERNAL_ERROR,
    /** 400 {@code ThrottlingException}, message "Rate exceeded". */
    THROTTLING,
    /** 400 {@code AccessDeniedException}. */
    ACCESS_DENIED,
    /** Close the TCP connection without sending any byte of a response. */
    DROP_CONNECTION,
    /** Do not answer until {@link #clearFaults()} (then answer normally) or {@link #close()}. */
    HANG
  }

  private static final String REGION = "us-east-1";
  private static final String ACCOUNT = "000000000000";
  private static final String TARGET_PREFIX = "secretsmanager.";
  private static final String CONTENT_TYPE = "application/x-amz-json-1.1";
  private static final String CURRENT = "AWSCURRENT";
  private static final String PREVIOUS = "AWSPREVIOUS";
  private static final int BACKLOG = 256;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final SecretStore store = new SecretStore();
  private final Map<String, AtomicInteger> callsByOperation = new ConcurrentHashMap<>();
  private final Map<CallKey, AtomicInteger> callsBySecret = new ConcurrentHashMap<>();
  private final Set<String> deniedSecrets = ConcurrentHashMap.newKeySet();
  private final Map<String, Set<String>> deniedOperations = new ConcurrentHashMap<>();
  private final Object faultLock = new Object();
  private Fault alwaysFault;
  private Fault nextFault;
  private int nextFaultsLeft;
  private CountDownLatch hangRelease = new CountDownLatch(1);
  private volatile Duration latency = Duration.ZERO;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final ExecutorService executor;
  private final HttpServer server;

  private LocalSecretsManager() throws IOException {
    // Without it every response waits ~40 ms for Nagle + delayed ACK. Read once per JVM.
    System.setProperty("sun.net.httpserver.nodelay", "true");
    executor = Executors.newCachedThreadPool(daemonThreads());
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), BACKLOG);
    server.createContext("/", this::handle);
    server.setExecutor(executor);
    server.start();
  }

  /** Starts a server on an ephemeral loopback port. */
  public static LocalSecretsManager start() {
    try {
      return new LocalSecretsManager();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the local Secrets Manager", e);
    }
  }

  /** The URL to pass to {@code endpointOverride}, {@code http://127.0.0.1:<port>}. */
  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** The region used in ARNs. */
  public String region() {
    return REGION;
  }

  // ---- Seeding and rotating secrets; mistakes throw IllegalArgumentException. ----

  /** Creates a secret whose AWSCURRENT version holds {@code secretString}; returns its ARN. */
  public String createSecret(String name, String secretString) {
    return store.create(name, Value.ofString(secretString));
  }

  /** Creates a secret whose AWSCURRENT version holds {@code value}; returns its ARN. */
  public String createBinarySecret(String name, byte[] value) {
    return store.create(name, Value.ofBinary(value));
  }

  /**
   * Adds a version with the given staging labels (none means AWSCURRENT) and returns its id. Labels
   * move as in AWS: moving AWSCURRENT gives AWSPREVIOUS to the former current version.
   */
  public String putSecretValue(String name, String secretString, String... stages) {
    List<String> labels = stages.length == 0 ? List.of(CURRENT) : List.of(stages);
    return store.put(name, Value.ofString(secretString), labels);
  }

  /** Attaches {@code stage} to a version, taking it off whichever version had it. */
  public void moveStage(String name, String stage, String toVersionId) {
    store.moveStage(name, stage, toVersionId);
  }

  /** Detaches {@code stage} from whichever version has it (AWSCURRENT too, unlike AWS). */
  public void removeStage(String name, String stage) {
    store.removeStage(name, stage);
  }

  public String arn(String name) {
    return store.arn(name);
  }

  /** The id of the version carrying {@code stage}, or null if none has it. */
  public String versionId(String name, String stage) {
    return store.versionId(name, stage);
  }

  /** The SecretString of the version carrying {@code stage}, or null if none has it. */
  public String secretString(String name, String stage) {
    return store.secretString(name, stage);
  }

  /**
   * Starts a rotation as RotateSecret does before it calls the rotation function: a new version
   * with the stage AWSPENDING and no value yet (GetSecretValue on it is ResourceNotFoundException
   * until a PutSecretValue with its id as ClientRequestToken fills it). Returns the version id, the
   * rotation event's ClientRequestToken.
   */
  public String startRotation(String name) {
    return store.startRotation(name);
  }

  /** Sets the date DescribeSecret reports as LastRotatedDate, e.g. to test age warnings. */
  public void setLastRotatedDate(String name, Instant date) {
    store.setLastRotatedDate(name, date);
  }

  /**
   * Sets the CreatedDate GetSecretValue reports for the version carrying {@code stage}, e.g. to
   * make a secret look unrotated for months.
   */
  public void setVersionCreatedDate(String name, String stage, Instant date) {
    store.setVersionCreatedDate(name, stage, date);
  }

  // ---- Counters: every request received is counted, faulted or not. ----

  /** Requests received for {@code operation}, e.g. "GetSecretValue". */
  public int calls(String operation) {
    return count(callsByOperation.get(operation));
  }

  /**
   * Requests received for {@code operation} whose SecretId (or Name) is this secret's name or ARN.
   */
  public int calls(String operation, String secretName) {
    return count(callsBySecret.get(new CallKey(operation, store.canonicalName(secretName))));
  }

  public void resetCounters() {
    callsByOperation.clear();
    callsBySecret.clear();
  }

  // ---- Faults, access and latency. ----

  /** The next {@code count} requests, of any operation, get {@code fault}. */
  public void failNext(int count, Fault fault) {
    if (count < 0) {
      throw new IllegalArgumentException("count must not be negative");
    }
    Objects.requireNonNull(fault, "fault");
    synchronized (faultLock) {
      nextFault = fault;
      nextFaultsLeft = count;
    }
  }

  /** Every request gets {@code fault} until {@link #clearFaults()}. */
  public void failAlways(Fault fault) {
    Objects.requireNonNull(fault, "fault");
    synchronized (faultLock) {
      alwaysFault = fault;
    }
  }

  /** Cancels pending faults and lets hung requests go on to a normal answer. */
  public void clearFaults() {
    synchronized (faultLock) {
      alwaysFault = null;
      nextFault = null;
      nextFaultsLeft = 0;
      hangRelease.countDown();
      hangRelease = new CountDownLatch(1);
    }
  }

  /** Requests on this secret get AccessDeniedException until {@link #allowAccess(String)}. */
  public void denyAccess(String name) {
    deniedSecrets.add(name);
  }

  /**
   * Only these operations on this secret get AccessDeniedException until {@link
   * #allowAccess(String)}, as for a role whose policy lacks them.
   */
  public void denyOperations(String name, String... operations) {
    deniedOperations
        .computeIfAbsent(name, k -> ConcurrentHashMap.newKeySet())
        .addAll(List.of(operations));
  }

  public void allowAccess(String name) {
    deniedSecrets.remove(name);
    deniedOperations.remove(name);
  }

  /** Every request waits this long before it is answered (or faulted). */
  public void setLatency(Duration latency) {
    if (latency.isNegative()) {
      throw new IllegalArgumentException("latency must not be negative");
    }
    this.latency = latency;
  }

  /** Stops at once: open connections are closed and hung requests are dropped unanswered. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    server.stop(0);
    synchronized (faultLock) {
      hangRelease.countDown();
    }
    executor.shutdownNow();
  }

  // ---- HTTP ----

  private void handle(HttpExchange exchange) {
    try {
      serve(exchange);
    } catch (ApiError e) {
      sendQuietly(exchange, 400, error(e.type, e.getMessage()));
    } catch (InterruptedException e) {
      // close() is shutting down; the connection is already gone.
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      // The client went away; nothing to answer.
    } catch (RuntimeException e) {
      // A bug here must look like a server error to the client, without leaking state.
      sendQuietly(
          exchange, 500, error("InternalServiceError", "An error occurred on the server side."));
    } finally {
      exchange.close();
    }
  }

  private void serve(HttpExchange exchange) throws IOException, InterruptedException {
    String operation = operation(exchange);
    JsonNode request = parse(exchange.getRequestBody().readAllBytes());
    String secret = request == null ? null : store.canonicalName(secretId(request));
    count(operation, secret);
    pause();
    Armed armed = takeFault();
    if (armed != null && !survive(exchange, armed, operation, secret)) {
      return;
    }
    if (request == null) {
      throw new ApiError("SerializationException", "The request body is not a JSON object.");
    }
    if (secret != null
        && (deniedSecrets.contains(secret)
            || deniedOperations.getOrDefault(secret, Set.of()).contains(operation))) {
      throw new ApiError("AccessDeniedException", accessDeniedMessage(operation, secret));
    }
    send(exchange, 200, store.handle(operation, request));
  }

  private static String operation(HttpExchange exchange) {
    String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
    if (target == null) {
      return "";
    }
    return target.startsWith(TARGET_PREFIX) ? target.substring(TARGET_PREFIX.length()) : target;
  }

  private static JsonNode parse(byte[] body) {
    try {
      JsonNode node = JSON.readTree(body);
      return node != null && node.isObject() ? node : null;
    } catch (IOException e) {
      return null;
    }
  }

  /** Operations address a secret by SecretId, except CreateSecret which names it. */
  private static String secretId(JsonNode request) {
    JsonNode id = request.hasNonNull("SecretId") ? request.get("SecretId") : request.get("Name");
    return id != null && id.isTextual() ? id.asText() : null;
  }

  private void count(String operation, String secret) {
    callsByOperation.computeIfAbsent(operation, k -> new AtomicInteger()).incrementAndGet();
    if (secret != null) {
      callsBySecret
          .computeIfAbsent(new CallKey(operation, secret), k -> new AtomicInteger())
          .incrementAndGet();
    }
  }

  private static int count(AtomicInteger counter) {
    return counter == null ? 0 : counter.get();
  }

  private void pause() throws InterruptedException {
    Duration delay = latency;
    if (!delay.isZero()) {
      Thread.sleep(delay.toMillis());
    }
  }

  private Armed takeFault() {
    synchronized (faultLock) {
      if (alwaysFault != null) {
        return new Armed(alwaysFault, hangRelease);
      }
      if (nextFaultsLeft == 0) {
        return null;
      }
      nextFaultsLeft--;
      return new Armed(nextFault, hangRelease);
    }
  }

  /** Applies the fault; true if the request should still get its normal answer. */
  private boolean survive(HttpExchange exchange, Armed armed, String operation, String secret)
      throws IOException, InterruptedException {
    switch (armed.fault) {
      case INTERNAL_ERROR ->
          send(
              exchange,
              500,
              error("InternalServiceError", "An error occurred on the server side."));
      case THROTTLING -> send(exchange, 400, error("ThrottlingException", "Rate exceeded"));
      case ACCESS_DENIED ->
          send(
              exchange,
              400,
              error("AccessDeniedException", accessDeniedMessage(operation, secret)));
      case DROP_CONNECTION -> exchange.close();
      case HANG -> {
        armed.release.await();
        if (!closed.get()) {
          return true;
        }
        exchange.close();
      }
    }
    return false;
  }

  private static String accessDeniedMessage(String operation, String secret) {
    return "User: arn:aws:iam::"
        + ACCOUNT
        + ":user/test is not authorized to perform: secretsmanager:"
        + operation
        + " on resource: "
        + (secret == null ? "*" : secret);
  }

  private static ObjectNode error(String type, String message) {
    return JSON.createObjectNode().put("__type", type).put("message", message);
  }

  private static void send(HttpExchange exchange, int status, ObjectNode body) throws IOException {
    byte[] bytes = JSON.writeValueAsBytes(body);
    exchange.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
    exchange.getResponseHeaders().set("x-amzn-RequestId", UUID.randomUUID().toString());
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private static void sendQuietly(HttpExchange exchange, int status, ObjectNode body) {
    try {
      send(exchange, status, body);
    } catch (IOException e) {
      // The client went away; nothing to answer.
    }
  }

  private static ThreadFactory daemonThreads() {
    AtomicInteger number = new AtomicInteger();
    return task -> {
      Thread thread = new Thread(task, "local-secrets-manager-" + number.incrementAndGet());
      // A test that forgets close() must not keep the JVM alive.
      thread.setDaemon(true);
      return thread;
    };
  }

  private record CallKey(String operation, String secret) {}

  /** A fault taken by one request, with the latch that was current when it was taken. */
  private record Armed(Fault fault, CountDownLatch release) {}

  /** A request the API rejects: status 400 with this error type. */
  private static final class ApiError extends IllegalArgumentException {
    final String type;

    ApiError(String type, String message) {
      super(message);
      this.type = type;
    }
  }

  private static ApiError notFound() {
    return new ApiError(
        "ResourceNotFoundException", "Secrets Manager can't find the specified secret.");
  }

  private static ApiError invalid(String message) {
    return new ApiError("InvalidParameterException", message);
  }

  // ---- Secrets ----

  /** A version's payload: exactly one of string and binary is set. */
  private record Value(String string, byte[] binary) {
    static Value ofString(String string) {
      return new Value(Objects.requireNonNull(string, "secretString"), null);
    }

    static Value ofBinary(byte[] binary) {
      return new Value(null, Objects.requireNonNull(binary, "value").clone());
    }

    boolean sameAs(Value other) {
      return Objects.equals(string, other.string) && Arrays.equals(binary, other.binary);
    }
  }

  private static final class Version {
    final String id;

    /** Null for a version that a rotation started and whose createSecret has not run. */
    Value value;

    Instant createdDate;
    final Set<String> stages = new LinkedHashSet<>();

    Version(String id, Value value, Instant createdDate) {
      this.id = id;
      this.value = value;
      this.createdDate = createdDate;
    }
  }

  private static final class Secret {
    final String name;
    final String arn;
    final Instant createdDate;
    final Map<String, Version> versions = new LinkedHashMap<>();
    Instant lastChangedDate;
    Instant lastAccessedDate;
    Instant lastRotatedDate;

    Secret(String name, String arn, Instant createdDate) {
      this.name = name;
      this.arn = arn;
      this.createdDate = createdDate;
      this.lastChangedDate = createdDate;
    }

    Version withStage(String stage) {
      return versions.values().stream()
          .filter(v -> v.stages.contains(stage))
          .findFirst()
          .orElse(null);
    }

    Version version(String versionId) {
      Version version = versions.get(versionId);
      if (version == null) {
        throw new ApiError(
            "ResourceNotFoundException",
            "Secrets Manager can't find the specified secret value for VersionId: " + versionId);
      }
      return version;
    }

    Version addVersion(String versionId, Value value, List<String> stages, Instant now) {
      Version version = new Version(versionId, value, now);
      versions.put(versionId, version);
      stages.forEach(stage -> attach(stage, version, now));
      lastChangedDate = now;
      return version;
    }

    /**
     * A label sits on one version at most; when AWSCURRENT moves, AWSPREVIOUS follows the old one.
     */
    void attach(String stage, Version target, Instant now) {
      Version holder = withStage(stage);
      if (holder == target) {
        return;
      }
      if (holder != null) {
        holder.stages.remove(stage);
      }
      target.stages.add(stage);
      if (CURRENT.equals(stage) && holder != null) {
        attach(PREVIOUS, holder, now);
        lastRotatedDate = now;
      }
      lastChangedDate = now;
    }
  }

  /** The secrets and the operations on them; one lock guards all secret state. */
  private static final class SecretStore {
    private final Map<String, Secret> byName = new HashMap<>();
    private final Map<String, Secret> byArn = new HashMap<>();

    synchronized ObjectNode handle(String operation, JsonNode request) {
      return switch (operation) {
        case "GetSecretValue" -> getSecretValue(request);
        case "DescribeSecret" -> describeSecret(request);
        case "CreateSecret" -> createSecret(request);
        case "PutSecretValue" -> putSecretValue(request);
        case "UpdateSecretVersionStage" -> updateSecretVersionStage(request);
        case "ListSecretVersionIds" -> listSecretVersionIds(request);
        default ->
            throw new ApiError("UnknownOperationException", "Unknown operation: " + operation);
      };
    }

    /**
     * The secret's name if {@code secretId} is the ARN of a known secret, else {@code secretId}.
     */
    synchronized String canonicalName(String secretId) {
      Secret secret = byArn.get(secretId);
      return secret == null ? secretId : secret.name;
    }

    synchronized String create(String name, Value value) {
      return newSecret(name, newVersionId(), value).arn;
    }

    synchronized String put(String name, Value value, List<String> stages) {
      return find(name).addVersion(newVersionId(), value, stages, now()).id;
    }

    synchronized void moveStage(String name, String stage, String toVersionId) {
      Secret secret = find(name);
      secret.attach(stage, secret.version(toVersionId), now());
    }

    synchronized void removeStage(String name, String stage) {
      Secret secret = find(name);
      Version holder = secret.withStage(stage);
      if (holder != null) {
        holder.stages.remove(stage);
        secret.lastChangedDate = now();
      }
    }

    synchronized String arn(String name) {
      return find(name).arn;
    }

    synchronized String versionId(String name, String stage) {
      Version version = find(name).withStage(stage);
      return version == null ? null : version.id;
    }

    synchronized String secretString(String name, String stage) {
      Version version = find(name).withStage(stage);
      return version == null || version.value == null ? null : version.value.string();
    }

    synchronized String startRotation(String name) {
      return find(name).addVersion(newVersionId(), null, List.of("AWSPENDING"), now()).id;
    }

    synchronized void setVersionCreatedDate(String name, String stage, Instant date) {
      Version version = find(name).withStage(stage);
      if (version == null) {
        throw new IllegalArgumentException("no version of " + name + " has the stage " + stage);
      }
      version.createdDate = date;
    }

    synchronized void setLastRotatedDate(String name, Instant date) {
      find(name).lastRotatedDate = date;
    }

    private ObjectNode getSecretValue(JsonNode request) {
      Secret secret = find(required(request, "SecretId"));
      Version version =
          select(secret, optional(request, "VersionId"), optional(request, "VersionStage"));
      if (version.value == null) {
        throw new ApiError(
            "ResourceNotFoundException",
            "Secrets Manager can't find the specified secret value for VersionId: " + version.id);
      }
      // AWS records the access date only, to the day.
      secret.lastAccessedDate = Instant.now().truncatedTo(ChronoUnit.DAYS);
      ObjectNode response = identity(secret).put("VersionId", version.id);
      if (version.value.string() != null) {
        response.put("SecretString", version.value.string());
      } else {
        response.put("SecretBinary", Base64.getEncoder().encodeToString(version.value.binary()));
      }
      stages(response.putArray("VersionStages"), version);
      return response.put("CreatedDate", epochSeconds(version.createdDate));
    }

    private static Version select(Secret secret, String versionId, String stage) {
      if (versionId == null) {
        String label = stage == null ? CURRENT : stage;
        Version version = secret.withStage(label);
        if (version == null) {
          throw new ApiError(
              "ResourceNotFoundException",
              "Secrets Manager can't find the specified secret value for staging label: " + label);
        }
        return version;
      }
      Version version = secret.version(versionId);
      if (stage != null && !version.stages.contains(stage)) {
        throw new ApiError(
            "ResourceNotFoundException",
            "Secrets Manager can't find the specified secret value for VersionId: "
                + versionId
                + " and staging label: "
                + stage);
      }
      return version;
    }

    private ObjectNode describeSecret(JsonNode request) {
      Secret secret = find(required(request, "SecretId"));
      ObjectNode response =
          identity(secret)
              .put("RotationEnabled", false)
              .put("LastChangedDate", epochSeconds(secret.lastChangedDate))
              .put("CreatedDate", epochSeconds(secret.createdDate));
      putDate(response, "LastAccessedDate", secret.lastAccessedDate);
      putDate(response, "LastRotatedDate", secret.lastRotatedDate);
      ObjectNode versionIdsToStages = response.putObject("VersionIdsToStages");
      for (Version version : secret.versions.values()) {
        if (!version.stages.isEmpty()) {
          stages(versionIdsToStages.putArray(version.id), version);
        }
      }
      return response;
    }

    private ObjectNode createSecret(JsonNode request) {
      String versionId = optional(request, "ClientRequestToken");
      Value value = value(request, false);
      Secret secret =
          newSecret(
              required(request, "Name"), versionId == null ? newVersionId() : versionId, value);
      ObjectNode response = identity(secret);
      return value == null ? response : response.put("VersionId", secret.withStage(CURRENT).id);
    }

    private ObjectNode putSecretValue(JsonNode request) {
      Secret secret = find(required(request, "SecretId"));
      Value value = value(request, true);
      String token = optional(request, "ClientRequestToken");
      String versionId = token == null ? newVersionId() : token;
      Version version = secret.versions.get(versionId);
      if (version == null) {
        version = secret.addVersion(versionId, value, requestedStages(request), now());
      } else if (version.value == null) {
        // The version a rotation started: createSecret fills it.
        version.value = value;
        for (String stage : requestedStages(request)) {
          secret.attach(stage, version, now());
        }
        secret.lastChangedDate = now();
      } else if (!version.value.sameAs(value)) {
        throw new ApiError(
            "ResourceExistsException",
            "You can't modify an existing version, you can only create a new version.");
      }
      // Same token and same value: AWS ignores the retry and reports the version as it is.
      ObjectNode response = identity(secret).put("VersionId", version.id);
      stages(response.putArray("VersionStages"), version);
      return response;
    }

    private static List<String> requestedStages(JsonNode request) {
      JsonNode stages = request.get("VersionStages");
      if (stages == null || stages.isNull()) {
        return List.of(CURRENT);
      }
      List<String> labels = new ArrayList<>();
      stages.forEach(stage -> labels.add(stage.asText()));
      return labels;
    }

    /**
     * As AWS: moving a label that sits elsewhere requires naming that version in
     * RemoveFromVersionId.
     */
    private ObjectNode updateSecretVersionStage(JsonNode request) {
      Secret secret = find(required(request, "SecretId"));
      String stage = required(request, "VersionStage");
      String moveTo = optional(request, "MoveToVersionId");
      String removeFrom = optional(request, "RemoveFromVersionId");
      Version holder = secret.withStage(stage);
      if (removeFrom != null && (holder == null || !holder.id.equals(removeFrom))) {
        throw invalid(
            "The staging label " + stage + " is not attached to version " + removeFrom + ".");
      }
      if (moveTo != null) {
        Version target = secret.version(moveTo);
        if (holder != null && holder != target && removeFrom == null) {
          throw invalid(
              "The parameter RemoveFromVersionId can't be empty. Staging label "
                  + stage
                  + " is currently attached to version "
                  + holder.id
                  + ", so you must explicitly reference that version in RemoveFromVersionId.");
        }
        secret.attach(stage, target, now());
      } else if (removeFrom == null) {
        throw invalid("You must specify MoveToVersionId or RemoveFromVersionId.");
      } else if (CURRENT.equals(stage)) {
        throw invalid(
            "You can't remove the staging label AWSCURRENT; move it to another version instead.");
      } else {
        holder.stages.remove(stage);
        secret.lastChangedDate = now();
      }
      return identity(secret);
    }

    private ObjectNode listSecretVersionIds(JsonNode request) {
      Secret secret = find(required(request, "SecretId"));
      boolean includeDeprecated = request.path("IncludeDeprecated").asBoolean(false);
      ObjectNode response = identity(secret);
      ArrayNode versions = response.putArray("Versions");
      for (Version version : secret.versions.values()) {
        if (includeDeprecated || !version.stages.isEmpty()) {
          ObjectNode entry = versions.addObject().put("VersionId", version.id);
          stages(entry.putArray("VersionStages"), version);
          entry.put("CreatedDate", epochSeconds(version.createdDate));
        }
      }
      return response;
    }

    private Secret newSecret(String name, String versionId, Value value) {
      if (byName.containsKey(name)) {
        throw new ApiError(
            "ResourceExistsException",
            "The operation failed because the secret " + name + " already exists.");
      }
      Instant now = now();
      Secret secret = new Secret(name, newArn(name), now);
      if (value != null) {
        secret.addVersion(versionId, value, List.of(CURRENT), now);
      }
      byName.put(name, secret);
      byArn.put(secret.arn, secret);
      return secret;
    }

    private Secret find(String secretId) {
      Secret secret = byName.containsKey(secretId) ? byName.get(secretId) : byArn.get(secretId);
      if (secret == null) {
        throw notFound();
      }
      return secret;
    }

    private static Value value(JsonNode request, boolean required) {
      String string = optional(request, "SecretString");
      String binary = optional(request, "SecretBinary");
      if (string != null && binary != null) {
        throw invalid(
            "You can't specify both a binary secret value and a string secret value in the same secret.");
      }
      if (string != null) {
        return Value.ofString(string);
      }
      if (binary != null) {
        return new Value(null, decodeBase64(binary));
      }
      if (required) {
        throw invalid("You must provide either SecretString or SecretBinary.");
      }
      return null;
    }

    private static byte[] decodeBase64(String text) {
      try {
        return Base64.getDecoder().decode(text);
      } catch (IllegalArgumentException e) {
        throw new ApiError("SerializationException", "SecretBinary is not valid base64.");
      }
    }

    private static String required(JsonNode request, String field) {
      String value = optional(request, field);
      if (value == null) {
        throw invalid("The parameter " + field + " is required.");
      }
      return value;
    }

    private static String optional(JsonNode request, String field) {
      JsonNode node = request.get(field);
      return node == null || node.isNull() ? null : node.asText();
    }

    private static ObjectNode identity(Secret secret) {
      return JSON.createObjectNode().put("ARN", secret.arn).put("Name", secret.name);
    }

    private static void stages(ArrayNode array, Version version) {
      version.stages.forEach(array::add);
    }

    private static void putDate(ObjectNode node, String field, Instant date) {
      if (date != null) {
        node.put(field, epochSeconds(date));
      }
    }

    /** The JSON protocol's timestamp format: seconds since the epoch as a number. */
    private static BigDecimal epochSeconds(Instant instant) {
      return BigDecimal.valueOf(instant.toEpochMilli()).movePointLeft(3);
    }

    private static Instant now() {
      return Instant.now().truncatedTo(ChronoUnit.MILLIS);
    }

    private static String newVersionId() {
      return UUID.randomUUID().toString();
    }

    private static String newArn(String name) {
      StringBuilder suffix = new StringBuilder();
      ThreadLocalRandom random = ThreadLocalRandom.current();
      for (int i = 0; i < 6; i++) {
        char base = random.nextBoolean() ? 'a' : 'A';
        suffix.append((char) (base + random.nextInt(26)));
      }
      return "arn:aws:secretsmanager:" + REGION + ":" + ACCOUNT + ":secret:" + name + "-" + suffix;
    }
  }
}
