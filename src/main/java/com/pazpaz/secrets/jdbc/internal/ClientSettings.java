package com.pazpaz.secrets.jdbc.internal;

import java.net.URI;
import java.time.Duration;
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
    Duration apiCallTimeout) {}
