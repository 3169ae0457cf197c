package com.pazpaz.secrets.jdbc.internal;

import java.net.URI;
import org.jspecify.annotations.Nullable;

/**
 * A region that holds a replica of the secret (Secrets Manager replicates a secret under the same
 * name), read when the primary region cannot be.
 *
 * @param endpoint the endpoint override for this region (a VPC endpoint), or null for AWS's
 */
public record ReplicaRegion(String region, @Nullable URI endpoint) {}
