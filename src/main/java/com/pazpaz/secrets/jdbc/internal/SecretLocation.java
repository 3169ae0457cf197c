package com.pazpaz.secrets.jdbc.internal;

import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One secret version stage in one place: the cache key.
 *
 * @param replicas regions to read when this location's region fails for a transient reason, in
 *     order; empty when none are configured
 */
public record SecretLocation(
    ClientSettings client, String secretId, String versionStage, List<ReplicaRegion> replicas) {

  /** The stage of the version in use: what the driver reads by default. */
  public static final String CURRENT = "AWSCURRENT";

  /** The stage of a rotation's new version, until it becomes {@link #CURRENT}. */
  public static final String PENDING = "AWSPENDING";

  /** The stage Secrets Manager moves to the version that was {@link #CURRENT}. */
  public static final String PREVIOUS = "AWSPREVIOUS";

  public SecretLocation {
    replicas = List.copyOf(replicas);
  }

  /** A location without replica regions. */
  public SecretLocation(ClientSettings client, String secretId, String versionStage) {
    this(client, secretId, versionStage, List.of());
  }

  public SecretLocation withStage(String stage) {
    return new SecretLocation(client, secretId, stage, replicas);
  }

  /**
   * The same secret and stage in a replica's region, with the same profile and timeout and no
   * replicas of its own. A full ARN gets the replica's region, as Secrets Manager names replicas.
   */
  public SecretLocation inReplica(ReplicaRegion replica) {
    ClientSettings replicaClient =
        new ClientSettings(
            replica.region(), replica.endpoint(), client.awsProfile(), client.apiCallTimeout());
    return new SecretLocation(
        replicaClient, secretIdInRegion(secretId, replica.region()), versionStage, List.of());
  }

  /**
   * {@code arn:aws:secretsmanager:REGION:ACCOUNT:secret:NAME} with another region; a name as is.
   */
  static String secretIdInRegion(String secretId, String region) {
    if (ConnectionSettings.regionOfArn(secretId) == null) {
      return secretId;
    }
    String[] parts = secretId.split(":", 6);
    parts[3] = region;
    return String.join(":", parts);
  }

  /*
   * equals and hashCode written out, not generated: a record's generated equals adapts a JDK-wide
   * method handle (java.lang.runtime.ObjectMethods.OBJECT_EQ) to the record's own class, and on
   * Java 17 the last adaptation stays cached in that handle, so the last record compared would keep
   * the class loader of a redeployed application reachable. Cache keys are compared on every
   * connect.
   */
  @Override
  public boolean equals(@Nullable Object other) {
    return other instanceof SecretLocation that
        && client.equals(that.client)
        && secretId.equals(that.secretId)
        && versionStage.equals(that.versionStage)
        && replicas.equals(that.replicas);
  }

  @Override
  public int hashCode() {
    return Objects.hash(client, secretId, versionStage, replicas);
  }

  @Override
  public String toString() {
    return secretId + " (" + versionStage + ")";
  }
}
