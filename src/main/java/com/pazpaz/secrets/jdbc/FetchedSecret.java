package com.pazpaz.secrets.jdbc;

import java.time.Instant;

/** A secret as read from Secrets Manager, with the version it came from. */
record FetchedSecret(DatabaseSecret secret, String versionId, Instant fetchedAt) {}
