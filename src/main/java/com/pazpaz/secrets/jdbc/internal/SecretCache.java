package com.pazpaz.secrets.jdbc.internal;

import com.github.benmanes.caffeine.cache.AsyncLoadingCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import java.lang.System.Logger.Level;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * Secrets by {@link SecretLocation}, read once and shared.
 *
 * <ul>
 *   <li>Concurrent first reads of a location share one {@code GetSecretValue}; a failed read is not
 *       cached, and every waiter sees its failure.
 *   <li>Once an entry is older than the caller's TTL it is refreshed in the background while the
 *       old value keeps serving. A failed refresh keeps the old value, and the next attempt waits
 *       at least {@link #RETRY_INTERVAL}.
 *   <li>{@link #forceRead} bypasses the entry after a login failure. Callers that fail together
 *       share one read, and a location is force-read at most once per {@link #RETRY_INTERVAL} per
 *       API call that the previous forced read made.
 * </ul>
 */
public final class SecretCache {

  public static final Duration RETRY_INTERVAL = Duration.ofSeconds(1);

  private static final System.Logger LOG = Logging.LOGGER;

  private final SecretReader reader;
  private final Ticker ticker;
  private final Clock clock;
  private final AsyncLoadingCache<SecretLocation, FetchedSecret> entries;
  private final Map<SecretLocation, Long> lastRefreshStart = new ConcurrentHashMap<>();
  private final Map<SecretLocation, ForcedAttempt> forcedReads = new ConcurrentHashMap<>();
  private final SecretMetricsRegistry metrics;

  public SecretCache(
      SecretReader reader,
      SecretMetricsRegistry metrics,
      Executor executor,
      Ticker ticker,
      Clock clock) {
    this.reader = reader;
    this.metrics = metrics;
    this.ticker = ticker;
    this.clock = clock;
    this.entries =
        Caffeine.newBuilder()
            .executor(executor)
            .ticker(ticker)
            .maximumSize(1_000)
            .buildAsync(location -> readLogged(location));
  }

  /** The cached secret, read now if absent; starts a background refresh when older than ttl. */
  public FetchedSecret get(SecretLocation location, Duration ttl) throws SQLException {
    FetchedSecret secret = await(entries.get(location));
    if (clock.instant().isAfter(secret.refreshDueAt(ttl))) {
      metrics(location).staleServe();
      refreshInBackground(location);
    }
    return secret;
  }

  /** The JMX counters of a location. */
  public SecretMetrics metrics(SecretLocation location) {
    return metrics.of(location);
  }

  private void refreshInBackground(SecretLocation location) {
    long now = ticker.read();
    long started =
        lastRefreshStart.merge(
            location,
            now,
            (previous, candidate) ->
                candidate - previous >= RETRY_INTERVAL.toNanos() ? candidate : previous);
    if (started == now) {
      // Caffeine keeps the old value when the refresh fails, and coalesces concurrent refreshes.
      entries.synchronous().refresh(location);
    }
  }

  /**
   * Reads the location again after its credentials were rejected. When the read shows the same
   * login as {@code rejected}, also reads {@code AWSPENDING}: during a rotation the database may
   * already have the pending password. The pending version is returned, never cached.
   */
  public ForcedRead forceRead(SecretLocation location, FetchedSecret rejected) throws SQLException {
    CompletableFuture<ForcedRead> mine = new CompletableFuture<>();
    long now = ticker.read();
    ForcedAttempt attempt =
        forcedReads.compute(
            location,
            (key, previous) ->
                previous != null && previous.covers(now) ? previous : new ForcedAttempt(now, mine));
    if (attempt.result == mine) {
      metrics(location).forcedRead();
      runForcedRead(location, rejected, attempt);
    }
    return await(attempt.result);
  }

  private void runForcedRead(
      SecretLocation location, FetchedSecret rejected, ForcedAttempt attempt) {
    try {
      attempt.calls.incrementAndGet();
      FetchedSecret current = readLogged(location);
      entries.synchronous().put(location, current);
      FetchedSecret pending = null;
      if (current.secret().sameLogin(rejected.secret())
          && !SecretLocation.PENDING.equals(location.versionStage())) {
        attempt.calls.incrementAndGet();
        pending = readPending(location);
      }
      attempt.result.complete(new ForcedRead(current, pending));
    } catch (SQLException | RuntimeException e) {
      attempt.result.completeExceptionally(e);
    }
  }

  /** The location's AWSPENDING version, or null when there is none or it cannot be used. */
  private @Nullable FetchedSecret readPending(SecretLocation location) {
    SecretLocation pending = location.withStage(SecretLocation.PENDING);
    metrics(location).apiCall();
    try {
      FetchedSecret secret = reader.fetch(pending);
      metrics(location).fetched(secret, false);
      return secret;
    } catch (SecretReadException e) {
      if (e.failure() != SecretsManagerFailure.NOT_FOUND) {
        metrics(location).fetchFailed();
        logFailure(pending, e);
      }
    } catch (SQLException e) {
      metrics(location).fetchFailed();
      logFailure(pending, e);
    }
    return null;
  }

  private FetchedSecret readLogged(SecretLocation location) throws SQLException {
    metrics(location).apiCall();
    try {
      FetchedSecret secret = reader.fetch(location);
      metrics(location).fetched(secret, true);
      return secret;
    } catch (SQLException e) {
      metrics(location).fetchFailed();
      logFailure(location, e);
      throw e;
    }
  }

  private static void logFailure(SecretLocation location, SQLException failure) {
    logFetchFailure(location, null, failure);
  }

  /**
   * The {@code failed_to_fetch_secret} line of a failed read.
   *
   * @param replicaRegion the replica region that was read, or null for the location's own
   */
  static void logFetchFailure(
      SecretLocation location, @Nullable String replicaRegion, SQLException failure) {
    LOG.log(
        Level.WARNING,
        Logging.event(
            "failed_to_fetch_secret",
            "secret",
            location.secretId(),
            "stage",
            location.versionStage(),
            "region",
            replicaRegion,
            "error",
            SecretReadException.eventCode(failure)));
  }

  private static <T> T await(CompletableFuture<T> future) throws SQLException {
    try {
      return future.join();
    } catch (CompletionException e) {
      for (Throwable cause = e; cause != null; cause = cause.getCause()) {
        if (cause instanceof SQLException sql) {
          throw sql;
        }
      }
      throw new SQLException(
          "Reading the secret failed unexpectedly: " + e.getCause(),
          SqlStates.CONNECTION_UNABLE_TO_CONNECT,
          e.getCause());
    }
  }

  /** Forgets every entry and unregisters the MXBeans. */
  public void invalidateAll() {
    metrics.close();
    entries.synchronous().invalidateAll();
    forcedReads.clear();
    lastRefreshStart.clear();
  }

  /** The result of a forced read: the stage read again, and AWSPENDING when it was read too. */
  public record ForcedRead(FetchedSecret current, @Nullable FetchedSecret pending) {}

  private static final class ForcedAttempt {
    private final long startNanos;
    private final CompletableFuture<ForcedRead> result;
    private final AtomicInteger calls = new AtomicInteger();

    ForcedAttempt(long startNanos, CompletableFuture<ForcedRead> result) {
      this.startNanos = startNanos;
      this.result = result;
    }

    /** Still running, or too recent to read again: the rate limit. */
    boolean covers(long now) {
      long spacing = Math.max(1, calls.get()) * RETRY_INTERVAL.toNanos();
      return !result.isDone() || now - startNanos < spacing;
    }
  }
}
