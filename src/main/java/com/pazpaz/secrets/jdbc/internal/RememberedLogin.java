package com.pazpaz.secrets.jdbc.internal;

import java.lang.System.Logger.Level;
import org.jspecify.annotations.Nullable;

/**
 * The credentials PostgreSQL accepted for one secret location when the cached ones were rejected
 * (during a rotation window: the {@code AWSPENDING} version), kept apart from the cache so that
 * {@code AWSPENDING} is never served as {@code AWSCURRENT}. Later connects log in with them first,
 * so a window costs a connecting thread at most one rejected login.
 *
 * <p>A remembered login is forgotten when the cache shows it (the rotation was promoted; logged
 * once per version as {@code rotation_completed}), when the cache moves to any other version (newer
 * information than the window), or when PostgreSQL rejects it. A connect that still holds the
 * version the window bypassed after the promotion gets the promoted login. Thread-safe; every
 * method is short and runs under the object's lock.
 */
public final class RememberedLogin {

  private static final System.Logger LOG = Logging.LOGGER;

  private final SecretLocation location;
  private final SecretMetrics metrics;
  private @Nullable Accepted accepted;
  // Kept after a promotion: a connect that read the cache just before it still gets the new login.
  private @Nullable Accepted promoted;
  private @Nullable String windowLoggedFor;
  private @Nullable String completionLoggedFor;

  public RememberedLogin(SecretLocation location, SecretMetrics metrics) {
    this.location = location;
    this.metrics = metrics;
  }

  /**
   * What a connect logs in with first: the remembered credentials while the cache still shows the
   * version they bypassed, else the cached ones (forgetting the remembered login).
   */
  public synchronized FetchedSecret firstLogin(FetchedSecret cached) {
    Accepted login = accepted;
    if (login == null) {
      Accepted before = promoted;
      return before != null && before.bypassed(cached) ? before.secret() : cached;
    }
    if (login.isShownBy(cached)) {
      forget();
      promoted = login;
      logCompleted(cached.versionId());
      return cached;
    }
    if (!login.bypassed(cached)) {
      forget();
      return cached;
    }
    return login.secret();
  }

  /**
   * PostgreSQL accepted {@code secret}, read from {@code stage}, while the cache holds {@code
   * cached}.
   */
  public synchronized void remember(FetchedSecret secret, String stage, FetchedSecret cached) {
    accepted = new Accepted(secret, stage, cached.versionId());
    metrics.loginRemembered(secret.versionId(), stage);
    if (!secret.versionId().equals(windowLoggedFor)) {
      windowLoggedFor = secret.versionId();
      LOG.log(
          Level.INFO,
          Logging.event(
              "rotation_window_detected",
              "secret",
              location.secretId(),
              "stage",
              stage,
              "version",
              secret.versionId()));
    }
  }

  /** PostgreSQL rejected {@code secret}: if it is the remembered login, forget it. */
  public synchronized void rejected(FetchedSecret secret) {
    Accepted login = accepted;
    Accepted before = promoted;
    if (login != null && login.logsInAs(secret)) {
      forget();
    } else if (before != null && before.logsInAs(secret)) {
      promoted = null;
    }
  }

  /** Forgets the remembered login, if any. */
  public synchronized void forget() {
    accepted = null;
    promoted = null;
    metrics.loginRemembered("", "");
  }

  private void logCompleted(String versionId) {
    if (!versionId.equals(completionLoggedFor)) {
      completionLoggedFor = versionId;
      LOG.log(
          Level.INFO,
          Logging.event(
              "rotation_completed",
              "secret",
              location.secretId(),
              "stage",
              location.versionStage(),
              "version",
              versionId));
    }
  }

  /** Accepted credentials, their stage, and the cached version that was rejected before them. */
  private record Accepted(FetchedSecret secret, String stage, String bypassedVersionId) {

    boolean bypassed(FetchedSecret cached) {
      return cached.versionId().equals(bypassedVersionId);
    }

    boolean isShownBy(FetchedSecret cached) {
      return cached.versionId().equals(secret.versionId()) || logsInAs(cached);
    }

    boolean logsInAs(FetchedSecret other) {
      return secret.secret().sameLogin(other.secret());
    }
  }
}
