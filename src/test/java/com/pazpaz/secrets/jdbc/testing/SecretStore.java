package com.pazpaz.secrets.jdbc.testing;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The state of the local Secrets Manager: secrets by name and ARN, their versions and staging
 * labels with the rules AWS applies to them, and how many requests each operation received. One
 * lock guards all secret state; readers get immutable snapshots ({@link SecretView}). Mistakes
 * throw {@link ApiError} with the type and message AWS would answer.
 */
final class SecretStore {

  static final String CURRENT = "AWSCURRENT";
  static final String PREVIOUS = "AWSPREVIOUS";
  static final String PENDING = "AWSPENDING";
  static final String REGION = "us-east-1";
  static final String ACCOUNT = "000000000000";

  private final Map<String, Secret> byName = new HashMap<>();
  private final Map<String, Secret> byArn = new HashMap<>();
  private final Map<String, AtomicInteger> callsByOperation = new ConcurrentHashMap<>();
  private final Map<CallKey, AtomicInteger> callsBySecret = new ConcurrentHashMap<>();

  /** A version's payload: exactly one of string and binary is set. */
  record Value(String string, byte[] binary) {
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

  /** A version as it was when read; {@code value} is null for one a rotation started. */
  record VersionView(String id, Value value, List<String> stages, Instant createdDate) {}

  /** A secret as it was when read, its versions in the order they were added. */
  record SecretView(
      String name,
      String arn,
      Instant createdDate,
      Instant lastChangedDate,
      Instant lastAccessedDate,
      Instant lastRotatedDate,
      List<VersionView> versions) {

    VersionView withStage(String stage) {
      return versions.stream().filter(v -> v.stages.contains(stage)).findFirst().orElse(null);
    }
  }

  /** A secret and the one version an operation was about. */
  record VersionOf(SecretView secret, VersionView version) {}

  // ---- Operations of the API ----

  /** The secret's name if {@code secretId} is the ARN of a known secret, else {@code secretId}. */
  synchronized String canonicalName(String secretId) {
    Secret secret = byArn.get(secretId);
    return secret == null ? secretId : secret.name;
  }

  /** CreateSecret: with no value, the secret has no version yet. */
  synchronized SecretView createSecret(String name, String versionId, Value value) {
    return newSecret(name, versionId == null ? newVersionId() : versionId, value).view();
  }

  /** GetSecretValue: AWSCURRENT unless a version id or stage is given. */
  synchronized VersionOf getSecretValue(String secretId, String versionId, String stage) {
    Secret secret = find(secretId);
    Version version = select(secret, versionId, stage);
    if (version.value == null) {
      throw ApiError.versionNotFound("VersionId: " + version.id);
    }
    // AWS records the access date only, to the day.
    secret.lastAccessedDate = Instant.now().truncatedTo(ChronoUnit.DAYS);
    return new VersionOf(secret.view(), version.view());
  }

  /** DescribeSecret and ListSecretVersionIds. */
  synchronized SecretView describeSecret(String secretId) {
    return find(secretId).view();
  }

  /**
   * PutSecretValue: a new version, or the value of the version a rotation started; the same token
   * with the same value again is a retry that changes nothing.
   */
  synchronized VersionOf putSecretValue(
      String secretId, String token, Value value, List<String> stages) {
    Secret secret = find(secretId);
    String versionId = token == null ? newVersionId() : token;
    Version version = secret.versions.get(versionId);
    if (version == null) {
      version = secret.addVersion(versionId, value, stages, now());
    } else if (version.value == null) {
      version.value = value;
      for (String stage : stages) {
        secret.attach(stage, version, now());
      }
      secret.lastChangedDate = now();
    } else if (!version.value.sameAs(value)) {
      throw new ApiError(
          "ResourceExistsException",
          "You can't modify an existing version, you can only create a new version.");
    }
    return new VersionOf(secret.view(), version.view());
  }

  /**
   * UpdateSecretVersionStage, as AWS: moving a label that sits elsewhere requires naming that
   * version in {@code removeFrom}.
   */
  synchronized SecretView updateSecretVersionStage(
      String secretId, String stage, String moveTo, String removeFrom) {
    Secret secret = find(secretId);
    Version holder = secret.withStage(stage);
    if (removeFrom != null && (holder == null || !holder.id.equals(removeFrom))) {
      throw ApiError.invalid(
          "The staging label " + stage + " is not attached to version " + removeFrom + ".");
    }
    if (moveTo != null) {
      Version target = secret.version(moveTo);
      if (holder != null && holder != target && removeFrom == null) {
        throw ApiError.invalid(
            "The parameter RemoveFromVersionId can't be empty. Staging label "
                + stage
                + " is currently attached to version "
                + holder.id
                + ", so you must explicitly reference that version in RemoveFromVersionId.");
      }
      secret.attach(stage, target, now());
    } else if (removeFrom == null) {
      throw ApiError.invalid("You must specify MoveToVersionId or RemoveFromVersionId.");
    } else if (CURRENT.equals(stage)) {
      throw ApiError.invalid(
          "You can't remove the staging label AWSCURRENT; move it to another version instead.");
    } else {
      holder.stages.remove(stage);
      secret.lastChangedDate = now();
    }
    return secret.view();
  }

  // ---- Test controls ----

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

  /** Unlike the API, AWSCURRENT may go too. */
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

  /** What RotateSecret does before it calls the rotation function: AWSPENDING, no value yet. */
  synchronized String startRotation(String name) {
    return find(name).addVersion(newVersionId(), null, List.of(PENDING), now()).id;
  }

  synchronized void setLastRotatedDate(String name, Instant date) {
    find(name).lastRotatedDate = date;
  }

  synchronized void setVersionCreatedDate(String name, String stage, Instant date) {
    Version version = find(name).withStage(stage);
    if (version == null) {
      throw new IllegalArgumentException("no version of " + name + " has the stage " + stage);
    }
    version.createdDate = date;
  }

  // ---- Call counters: every request received, faulted or not ----

  void count(String operation, String secret) {
    callsByOperation.computeIfAbsent(operation, k -> new AtomicInteger()).incrementAndGet();
    if (secret != null) {
      callsBySecret
          .computeIfAbsent(new CallKey(operation, secret), k -> new AtomicInteger())
          .incrementAndGet();
    }
  }

  int calls(String operation) {
    return count(callsByOperation.get(operation));
  }

  int calls(String operation, String secretName) {
    return count(callsBySecret.get(new CallKey(operation, canonicalName(secretName))));
  }

  void resetCounters() {
    callsByOperation.clear();
    callsBySecret.clear();
  }

  private static int count(AtomicInteger counter) {
    return counter == null ? 0 : counter.get();
  }

  private record CallKey(String operation, String secret) {}

  // ---- Internals ----

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
      throw ApiError.notFound();
    }
    return secret;
  }

  private static Version select(Secret secret, String versionId, String stage) {
    if (versionId == null) {
      String label = stage == null ? CURRENT : stage;
      Version version = secret.withStage(label);
      if (version == null) {
        throw ApiError.versionNotFound("staging label: " + label);
      }
      return version;
    }
    Version version = secret.version(versionId);
    if (stage != null && !version.stages.contains(stage)) {
      throw ApiError.versionNotFound("VersionId: " + versionId + " and staging label: " + stage);
    }
    return version;
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

    VersionView view() {
      return new VersionView(id, value, List.copyOf(stages), createdDate);
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

    SecretView view() {
      return new SecretView(
          name,
          arn,
          createdDate,
          lastChangedDate,
          lastAccessedDate,
          lastRotatedDate,
          versions.values().stream().map(Version::view).toList());
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
        throw ApiError.versionNotFound("VersionId: " + versionId);
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
}
