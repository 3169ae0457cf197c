package com.pazpaz.secrets.jdbc.internal;

/** One secret version stage in one place: the cache key. */
public record SecretLocation(ClientSettings client, String secretId, String versionStage) {

  public static final String PENDING = "AWSPENDING";

  public SecretLocation withStage(String stage) {
    return new SecretLocation(client, secretId, stage);
  }

  @Override
  public String toString() {
    return secretId + " (" + versionStage + ")";
  }
}
