package com.pazpaz.secrets.jdbc.internal;

import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A secret as read from Secrets Manager, with the version it came from.
 *
 * @param versionCreated the version's creation date ({@code CreatedDate} of {@code
 *     GetSecretValue}), or null when the answer had none
 * @param replicaRegion the replica region it was read from because the primary failed, or null when
 *     the primary region answered
 */
public record FetchedSecret(
    DatabaseSecret secret,
    String versionId,
    Instant fetchedAt,
    @Nullable Instant versionCreated,
    @Nullable String replicaRegion) {

  /**
   * How soon a value read from a replica is refreshed, so that the primary region is tried again
   * (at most this long after the read, or after the cache TTL when that is shorter).
   */
  public static final Duration PRIMARY_RETRY_INTERVAL = Duration.ofSeconds(30);

  /** A secret read from the primary region. */
  public FetchedSecret(
      DatabaseSecret secret,
      String versionId,
      Instant fetchedAt,
      @Nullable Instant versionCreated) {
    this(secret, versionId, fetchedAt, versionCreated, null);
  }

  /** A secret read from the primary region, its version's creation date unknown. */
  public FetchedSecret(DatabaseSecret secret, String versionId, Instant fetchedAt) {
    this(secret, versionId, fetchedAt, null, null);
  }

  public FetchedSecret fromReplica(String region) {
    return new FetchedSecret(secret, versionId, fetchedAt, versionCreated, region);
  }

  /** When a cache holding this value for {@code ttl} refreshes it in the background. */
  public Instant refreshDueAt(Duration ttl) {
    if (replicaRegion != null && PRIMARY_RETRY_INTERVAL.compareTo(ttl) < 0) {
      return fetchedAt.plus(PRIMARY_RETRY_INTERVAL);
    }
    return fetchedAt.plus(ttl);
  }
}
