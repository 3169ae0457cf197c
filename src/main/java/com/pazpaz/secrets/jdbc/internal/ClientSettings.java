package com.pazpaz.secrets.jdbc.internal;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What a Secrets Manager client is built from; one client is shared by every secret with equal
 * settings.
 *
 * @param region null for the AWS SDK's region chain
 * @param endpoint null for AWS's endpoint
 * @param awsProfile null for the SDK's default credentials chain
 */
public record ClientSettings(
    @Nullable String region,
    @Nullable URI endpoint,
    @Nullable String awsProfile,
    Duration apiCallTimeout) {

  // Written out for the reason given in SecretLocation: generated ones would keep a redeployed
  // application's class loader reachable on Java 17.
  @Override
  public boolean equals(@Nullable Object other) {
    return other instanceof ClientSettings that
        && Objects.equals(region, that.region)
        && Objects.equals(endpoint, that.endpoint)
        && Objects.equals(awsProfile, that.awsProfile)
        && apiCallTimeout.equals(that.apiCallTimeout);
  }

  @Override
  public int hashCode() {
    return Objects.hash(region, endpoint, awsProfile, apiCallTimeout);
  }
}
