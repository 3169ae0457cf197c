package com.pazpaz.secrets.jdbc.internal;

/** The SQLStates this driver reports, named once. */
public final class SqlStates {
  /** The connection could not be established: configuration, secret or AWS problems. */
  public static final String CONNECTION_REJECTED = "08001";

  /** PostgreSQL rejected the password. */
  public static final String INVALID_PASSWORD = "28P01";

  /** PostgreSQL rejected the authorization (for example no pg_hba entry for the role). */
  public static final String INVALID_AUTHORIZATION = "28000";

  private SqlStates() {}
}
