package com.pazpaz.secrets.jdbc.internal;

/** The SQLStates this driver reports or recognises, named once. */
public final class SqlStates {
  /** The connection could not be established: configuration, secret or AWS problems. */
  public static final String CONNECTION_REJECTED = "08001";

  /** PostgreSQL rejected the password. */
  public static final String INVALID_PASSWORD = "28P01";

  /** PostgreSQL rejected the authorization (for example no pg_hba entry for the role). */
  public static final String INVALID_AUTHORIZATION = "28000";

  /**
   * A protocol violation. PgBouncer (up to at least 1.18) reports every error it raises itself with
   * this state, a rejected password included.
   */
  public static final String PROTOCOL_VIOLATION = "08P01";

  private SqlStates() {}
}
