package com.pazpaz.secrets.jdbc;

/**
 * What the driver did for one cached secret, registered with the platform MBean server as {@code
 * com.pazpaz.secrets.jdbc:type=Secret,name="<secret id>"}. It holds counts, a version id and a
 * time, never a secret value.
 */
public interface SecretMXBean {

  String getSecretId();

  String getVersionStage();

  /** Region the client was built for, or empty for the AWS SDK's chain. */
  String getRegion();

  /** Version id of the cached value, or empty before the first successful read. */
  String getCurrentVersionId();

  /**
   * Days since the cached version was created (its {@code CreatedDate}, which {@code
   * GetSecretValue} returns): how long ago the secret was last rotated. NaN before the first read.
   */
  double getCurrentVersionAgeDays();

  /** ISO-8601 time of the last successful read, or empty. */
  String getLastFetchTime();

  /**
   * {@code GetSecretValue} calls the driver made, successful or not, AWSPENDING reads included (the
   * AWS SDK's own retries of a call are not counted apart).
   */
  long getApiCalls();

  /** Successful {@code GetSecretValue} calls, AWSPENDING reads included. */
  long getFetches();

  /** {@code GetSecretValue} calls that failed or returned an unusable secret. */
  long getFailedFetches();

  /** Reads that bypassed the cache after PostgreSQL rejected the cached credentials. */
  long getForcedReads();

  /** Extra logins made with re-read credentials after a rejected login. */
  long getLoginsRetried();

  /** Logins that succeeded only with the AWSPENDING version (a rotation in progress). */
  long getLoginsRescuedByPending();

  /** Connects served with a value older than cacheTtl while a refresh was due or failing. */
  long getStaleServes();

  /**
   * Version id of the login that new connects try first during a rotation window (the version
   * PostgreSQL accepted after rejecting the cached one), or empty when they use the cached value.
   */
  String getLoginVersionId();

  /** Stage that login was read from ({@code AWSPENDING} during a window), or empty. */
  String getLoginStage();

  /** Logins PostgreSQL refused for this secret (28P01, 28000): each is a line in its log. */
  long getRejectedLogins();
}
