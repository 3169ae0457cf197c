package com.pazpaz.secrets.jdbc.internal;

import java.time.Instant;

/** A secret as read from Secrets Manager, with the version it came from. */
public record FetchedSecret(DatabaseSecret secret, String versionId, Instant fetchedAt) {}
