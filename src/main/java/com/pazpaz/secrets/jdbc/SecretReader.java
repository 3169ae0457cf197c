package com.pazpaz.secrets.jdbc;

import java.sql.SQLException;

/** Reads one secret version stage now, bypassing every cache. */
@FunctionalInterface
interface SecretReader {
  FetchedSecret fetch(SecretLocation location) throws SQLException;
}
