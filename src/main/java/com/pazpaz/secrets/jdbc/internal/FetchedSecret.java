package com.pazpaz.secrets.jdbc.internal;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A secret as read from Secrets Manager, with the version it came from and that version's creation
 * date ({@code CreatedDate} of {@code GetSecretValue}; null when the answer had none).
 */
public record FetchedSecret(
    DatabaseSecret secret, String versionId, Instant fetchedAt, @Nullable Instant versionCreated) {}
