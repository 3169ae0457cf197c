package com.pazpaz.secrets.jdbc.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.pazpaz.secrets.jdbc.testing.SecretStore.SecretView;
import com.pazpaz.secrets.jdbc.testing.SecretStore.Value;
import com.pazpaz.secrets.jdbc.testing.SecretStore.VersionOf;
import com.pazpaz.secrets.jdbc.testing.SecretStore.VersionView;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The wire side of the local Secrets Manager: an HTTP server on 127.0.0.1 that reads the operation
 * from {@code X-Amz-Target}, the request from the AWS JSON 1.1 body, and answers as the service
 * does, errors included. Each request is counted, delayed, given its injected fault, checked
 * against denied access and then handed to the {@link SecretStore}, in that order.
 */
final class SecretsManagerProtocol implements AutoCloseable {

  private static final String TARGET_PREFIX = "secretsmanager.";
  private static final String CONTENT_TYPE = "application/x-amz-json-1.1";
  private static final int BACKLOG = 256;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final SecretStore store;
  private final FaultInjector faults;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final ExecutorService executor;
  private final HttpServer server;

  SecretsManagerProtocol(SecretStore store, FaultInjector faults) throws IOException {
    this.store = store;
    this.faults = faults;
    // Without it every response waits ~40 ms for Nagle + delayed ACK. Read once per JVM.
    System.setProperty("sun.net.httpserver.nodelay", "true");
    executor = Executors.newCachedThreadPool(daemonThreads());
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), BACKLOG);
    server.createContext("/", this::handle);
    server.setExecutor(executor);
    server.start();
  }

  URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** Stops at once: open connections are closed and hung requests are dropped unanswered. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    server.stop(0);
    faults.releaseHungRequests();
    executor.shutdownNow();
  }

  // ---- HTTP ----

  private void handle(HttpExchange exchange) {
    try {
      serve(exchange);
    } catch (ApiError e) {
      sendQuietly(exchange, 400, error(e.type(), e.getMessage()));
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
    store.count(operation, secret);
    faults.delay();
    FaultInjector.Armed armed = faults.take();
    if (armed != null && !survive(exchange, armed, operation, secret)) {
      return;
    }
    if (request == null) {
      throw new ApiError("SerializationException", "The request body is not a JSON object.");
    }
    if (faults.isDenied(secret, operation)) {
      throw new ApiError("AccessDeniedException", accessDeniedMessage(operation, secret));
    }
    send(exchange, 200, dispatch(operation, request));
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

  /** Carries out the fault; true if the request should still get its normal answer. */
  private boolean survive(
      HttpExchange exchange, FaultInjector.Armed armed, String operation, String secret)
      throws IOException, InterruptedException {
    switch (armed.fault()) {
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
        armed.release().await();
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
        + SecretStore.ACCOUNT
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

  // ---- The operations: request fields in, response fields out ----

  private ObjectNode dispatch(String operation, JsonNode request) {
    return switch (operation) {
      case "GetSecretValue" -> getSecretValue(request);
      case "DescribeSecret" -> describeSecret(request);
      case "CreateSecret" -> createSecret(request);
      case "PutSecretValue" -> putSecretValue(request);
      case "UpdateSecretVersionStage" -> updateSecretVersionStage(request);
      case "ListSecretVersionIds" -> listSecretVersionIds(request);
      default -> throw new ApiError("UnknownOperationException", "Unknown operation: " + operation);
    };
  }

  private ObjectNode getSecretValue(JsonNode request) {
    VersionOf read =
        store.getSecretValue(
            required(request, "SecretId"),
            optional(request, "VersionId"),
            optional(request, "VersionStage"));
    VersionView version = read.version();
    ObjectNode response = identity(read.secret()).put("VersionId", version.id());
    if (version.value().string() != null) {
      response.put("SecretString", version.value().string());
    } else {
      response.put("SecretBinary", Base64.getEncoder().encodeToString(version.value().binary()));
    }
    stages(response.putArray("VersionStages"), version);
    return response.put("CreatedDate", epochSeconds(version.createdDate()));
  }

  private ObjectNode describeSecret(JsonNode request) {
    SecretView secret = store.describeSecret(required(request, "SecretId"));
    ObjectNode response =
        identity(secret)
            .put("RotationEnabled", false)
            .put("LastChangedDate", epochSeconds(secret.lastChangedDate()))
            .put("CreatedDate", epochSeconds(secret.createdDate()));
    putDate(response, "LastAccessedDate", secret.lastAccessedDate());
    putDate(response, "LastRotatedDate", secret.lastRotatedDate());
    ObjectNode versionIdsToStages = response.putObject("VersionIdsToStages");
    for (VersionView version : secret.versions()) {
      if (!version.stages().isEmpty()) {
        stages(versionIdsToStages.putArray(version.id()), version);
      }
    }
    return response;
  }

  private ObjectNode createSecret(JsonNode request) {
    Value value = value(request, false);
    SecretView secret =
        store.createSecret(
            required(request, "Name"), optional(request, "ClientRequestToken"), value);
    ObjectNode response = identity(secret);
    return value == null
        ? response
        : response.put("VersionId", secret.withStage(SecretStore.CURRENT).id());
  }

  private ObjectNode putSecretValue(JsonNode request) {
    VersionOf put =
        store.putSecretValue(
            required(request, "SecretId"),
            optional(request, "ClientRequestToken"),
            value(request, true),
            requestedStages(request));
    ObjectNode response = identity(put.secret()).put("VersionId", put.version().id());
    stages(response.putArray("VersionStages"), put.version());
    return response;
  }

  private ObjectNode updateSecretVersionStage(JsonNode request) {
    return identity(
        store.updateSecretVersionStage(
            required(request, "SecretId"),
            required(request, "VersionStage"),
            optional(request, "MoveToVersionId"),
            optional(request, "RemoveFromVersionId")));
  }

  private ObjectNode listSecretVersionIds(JsonNode request) {
    SecretView secret = store.describeSecret(required(request, "SecretId"));
    boolean includeDeprecated = request.path("IncludeDeprecated").asBoolean(false);
    ObjectNode response = identity(secret);
    ArrayNode versions = response.putArray("Versions");
    for (VersionView version : secret.versions()) {
      if (includeDeprecated || !version.stages().isEmpty()) {
        ObjectNode entry = versions.addObject().put("VersionId", version.id());
        stages(entry.putArray("VersionStages"), version);
        entry.put("CreatedDate", epochSeconds(version.createdDate()));
      }
    }
    return response;
  }

  private static List<String> requestedStages(JsonNode request) {
    JsonNode stages = request.get("VersionStages");
    if (stages == null || stages.isNull()) {
      return List.of(SecretStore.CURRENT);
    }
    List<String> labels = new ArrayList<>();
    stages.forEach(stage -> labels.add(stage.asText()));
    return labels;
  }

  private static Value value(JsonNode request, boolean required) {
    String string = optional(request, "SecretString");
    String binary = optional(request, "SecretBinary");
    if (string != null && binary != null) {
      throw ApiError.invalid(
          "You can't specify both a binary secret value and a string secret value in the same"
              + " secret.");
    }
    if (string != null) {
      return Value.ofString(string);
    }
    if (binary != null) {
      return new Value(null, decodeBase64(binary));
    }
    if (required) {
      throw ApiError.invalid("You must provide either SecretString or SecretBinary.");
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
      throw ApiError.invalid("The parameter " + field + " is required.");
    }
    return value;
  }

  private static String optional(JsonNode request, String field) {
    JsonNode node = request.get(field);
    return node == null || node.isNull() ? null : node.asText();
  }

  private static ObjectNode identity(SecretView secret) {
    return JSON.createObjectNode().put("ARN", secret.arn()).put("Name", secret.name());
  }

  private static void stages(ArrayNode array, VersionView version) {
    version.stages().forEach(array::add);
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
}
