package com.pazpaz.secrets.jdbc.internal;

import com.pazpaz.secrets.jdbc.SecretMXBean;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/** The counters behind one {@link SecretMXBean}; thread-safe, updated on the connect path. */
public final class SecretMetrics implements SecretMXBean {

  private static final double SECONDS_PER_DAY = Duration.ofDays(1).toSeconds();

  private final SecretLocation location;
  private final Clock clock;
  private final AtomicLong apiCalls = new AtomicLong();
  private final AtomicLong rejectedLogins = new AtomicLong();
  private final AtomicLong fetches = new AtomicLong();
  private final AtomicLong failedFetches = new AtomicLong();
  private final AtomicLong forcedReads = new AtomicLong();
  private final AtomicLong loginsRetried = new AtomicLong();
  private final AtomicLong loginsRescuedByPending = new AtomicLong();
  private final AtomicLong staleServes = new AtomicLong();
  // Each a single value that readers take whole; volatile is all they need.
  private volatile Login rememberedLogin = Login.NONE;
  private volatile String currentVersionId = "";
  private volatile @Nullable Instant currentVersionCreated;
  private volatile @Nullable Instant lastFetch;
  private final AtomicReference<String> lastRetriedLogin = new AtomicReference<>();

  public SecretMetrics(SecretLocation location, Clock clock) {
    this.location = location;
    this.clock = clock;
  }

  public SecretLocation location() {
    return location;
  }

  /** A {@code GetSecretValue} call is about to be made, whatever its outcome. */
  public void apiCall() {
    apiCalls.incrementAndGet();
  }

  public void fetched(FetchedSecret secret, boolean current) {
    fetches.incrementAndGet();
    lastFetch = secret.fetchedAt();
    if (current) {
      currentVersionId = secret.versionId();
      currentVersionCreated = secret.versionCreated();
    }
  }

  public void fetchFailed() {
    failedFetches.incrementAndGet();
  }

  public void forcedRead() {
    forcedReads.incrementAndGet();
  }

  public void loginRetried() {
    loginsRetried.incrementAndGet();
  }

  public void loginRescuedByPending() {
    loginsRescuedByPending.incrementAndGet();
  }

  /** Whether this is the first retried login with that stage and version since another one. */
  public boolean firstLoginWith(String stage, String versionId) {
    String login = stage + "/" + versionId;
    return !login.equals(lastRetriedLogin.getAndSet(login));
  }

  public void staleServe() {
    staleServes.incrementAndGet();
  }

  public void loginRejected() {
    rejectedLogins.incrementAndGet();
  }

  /** The version and stage of the remembered login of a rotation window, or empty strings. */
  public void loginRemembered(String versionId, String stage) {
    rememberedLogin = new Login(versionId, stage);
  }

  @Override
  public String getSecretId() {
    return location.secretId();
  }

  @Override
  public String getVersionStage() {
    return location.versionStage();
  }

  @Override
  public String getRegion() {
    String region = location.client().region();
    return region == null ? "" : region;
  }

  @Override
  public String getCurrentVersionId() {
    return currentVersionId;
  }

  @Override
  public double getCurrentVersionAgeDays() {
    Instant created = currentVersionCreated;
    if (created == null) {
      return Double.NaN;
    }
    return Duration.between(created, clock.instant()).toSeconds() / SECONDS_PER_DAY;
  }

  @Override
  public String getLastFetchTime() {
    Instant time = lastFetch;
    return time == null ? "" : time.toString();
  }

  @Override
  public long getApiCalls() {
    return apiCalls.get();
  }

  @Override
  public long getFetches() {
    return fetches.get();
  }

  @Override
  public long getFailedFetches() {
    return failedFetches.get();
  }

  @Override
  public long getForcedReads() {
    return forcedReads.get();
  }

  @Override
  public long getLoginsRetried() {
    return loginsRetried.get();
  }

  @Override
  public long getLoginsRescuedByPending() {
    return loginsRescuedByPending.get();
  }

  @Override
  public long getStaleServes() {
    return staleServes.get();
  }

  @Override
  public String getLoginVersionId() {
    return rememberedLogin.versionId();
  }

  @Override
  public String getLoginStage() {
    return rememberedLogin.stage();
  }

  @Override
  public long getRejectedLogins() {
    return rejectedLogins.get();
  }

  /** One value, so that JMX never shows the version of one login with the stage of another. */
  private record Login(String versionId, String stage) {
    static final Login NONE = new Login("", "");
  }
}
