package com.pazpaz.secrets.jdbc;

/** One secret version stage in one place: the cache key. */
record SecretLocation(ClientSettings client, String secretId, String versionStage) {

  static final String PENDING = "AWSPENDING";

  SecretLocation withStage(String stage) {
    return new SecretLocation(client, secretId, stage);
  }

  @Override
  public String toString() {
    return secretId + " (" + versionStage + ")";
  }
}
