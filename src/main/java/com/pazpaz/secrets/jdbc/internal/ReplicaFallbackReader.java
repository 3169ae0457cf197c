package com.pazpaz.secrets.jdbc.internal;

import java.lang.System.Logger.Level;
import java.sql.SQLException;

/**
 * Reads a location's primary region and, when that fails for a transient reason (network, 5xx,
 * throttling, timeout), its replica regions in order: a pod that starts during a regional outage
 * still gets the secret. Configuration errors (not found, access denied, no credentials, KMS) fail
 * as they are, since a replica would only hide them.
 *
 * <p>A value read from a replica carries its region ({@link FetchedSecret#replicaRegion()}), which
 * makes {@link SecretCache} refresh it after {@link FetchedSecret#PRIMARY_RETRY_INTERVAL} at the
 * latest: each refresh tries the primary first, so the primary's value serves again once it
 * answers. When every region fails, the primary's failure is thrown with the replicas' attached as
 * suppressed, and the {@code DATABASE_URL} fallback may follow.
 */
public final class ReplicaFallbackReader implements SecretReader {

  private static final System.Logger LOG = Logging.LOGGER;

  private final SecretReader regionReader;

  /**
   * A reader that falls back to replica regions.
   *
   * @param regionReader reads one location in its own region, e.g. {@code
   *     SecretsManagerSource::fetch}
   */
  public ReplicaFallbackReader(SecretReader regionReader) {
    this.regionReader = regionReader;
  }

  @Override
  public FetchedSecret fetch(SecretLocation location) throws SQLException {
    try {
      return regionReader.fetch(location);
    } catch (SecretReadException primaryFailure) {
      if (location.replicas().isEmpty() || !isTransient(primaryFailure)) {
        throw primaryFailure;
      }
      for (ReplicaRegion replica : location.replicas()) {
        try {
          FetchedSecret secret = regionReader.fetch(location.inReplica(replica));
          LOG.log(
              Level.WARNING,
              Logging.event(
                  "using_replica_region",
                  "secret",
                  location.secretId(),
                  "stage",
                  location.versionStage(),
                  "region",
                  replica.region(),
                  "primary_error",
                  primaryFailure.awsErrorCode()));
          return secret.fromReplica(replica.region());
        } catch (SQLException replicaFailure) {
          SecretCache.logFetchFailure(location, replica.region(), replicaFailure);
          primaryFailure.addSuppressed(replicaFailure);
        }
      }
      throw primaryFailure;
    }
  }

  /** Whether the primary region's failure is one a replica can help with. */
  private static boolean isTransient(SecretReadException failure) {
    return failure.failure().isTransient();
  }
}
