package com.pazpaz.secrets.jdbc.internal;

import java.sql.SQLException;

/** Reads one secret version stage now, bypassing every cache. */
@FunctionalInterface
public interface SecretReader {
  public FetchedSecret fetch(SecretLocation location) throws SQLException;
}
