package com.pazpaz.secrets.jdbc.testing;

import com.pazpaz.secrets.jdbc.testing.SecretStore.Value;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

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
 *
 * <p>Three parts do the work: {@link SecretsManagerProtocol} (HTTP and the JSON operations), {@link
 * SecretStore} (secrets, versions, stages, ARNs, call counters) and {@link FaultInjector} (faults,
 * denied access, latency); this class is their one public face.
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

  private final SecretStore store = new SecretStore();
  private final FaultInjector faults = new FaultInjector();
  private final SecretsManagerProtocol protocol;

  private LocalSecretsManager() throws IOException {
    protocol = new SecretsManagerProtocol(store, faults);
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
    return protocol.endpoint();
  }

  /** The region used in ARNs. */
  public String region() {
    return SecretStore.REGION;
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
    List<String> labels = stages.length == 0 ? List.of(SecretStore.CURRENT) : List.of(stages);
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
    return store.calls(operation);
  }

  /**
   * Requests received for {@code operation} whose SecretId (or Name) is this secret's name or ARN.
   */
  public int calls(String operation, String secretName) {
    return store.calls(operation, secretName);
  }

  public void resetCounters() {
    store.resetCounters();
  }

  // ---- Faults, access and latency. ----

  /** The next {@code count} requests, of any operation, get {@code fault}. */
  public void failNext(int count, Fault fault) {
    faults.failNext(count, fault);
  }

  /** Every request gets {@code fault} until {@link #clearFaults()}. */
  public void failAlways(Fault fault) {
    faults.failAlways(fault);
  }

  /** Cancels pending faults and lets hung requests go on to a normal answer. */
  public void clearFaults() {
    faults.clearFaults();
  }

  /** Requests on this secret get AccessDeniedException until {@link #allowAccess(String)}. */
  public void denyAccess(String name) {
    faults.deny(name);
  }

  /**
   * Only these operations on this secret get AccessDeniedException until {@link
   * #allowAccess(String)}, as for a role whose policy lacks them.
   */
  public void denyOperations(String name, String... operations) {
    faults.denyOperations(name, operations);
  }

  public void allowAccess(String name) {
    faults.allow(name);
  }

  /** Every request waits this long before it is answered (or faulted). */
  public void setLatency(Duration latency) {
    faults.setLatency(latency);
  }

  /** Stops at once: open connections are closed and hung requests are dropped unanswered. */
  @Override
  public void close() {
    protocol.close();
  }
}
