package com.pazpaz.secrets.jdbc.internal;

/** One secret version stage in one place: the cache key. */
public record SecretLocation(ClientSettings client, String secretId, String versionStage) {

  /** The stage of the version in use: what the driver reads by default. */
  public static final String CURRENT = "AWSCURRENT";

  /** The stage of a rotation's new version, until it becomes {@link #CURRENT}. */
  public static final String PENDING = "AWSPENDING";

  /** The stage Secrets Manager moves to the version that was {@link #CURRENT}. */
  public static final String PREVIOUS = "AWSPREVIOUS";

  public SecretLocation withStage(String stage) {
    return new SecretLocation(client, secretId, stage);
  }

  @Override
  public String toString() {
    return secretId + " (" + versionStage + ")";
  }
}
