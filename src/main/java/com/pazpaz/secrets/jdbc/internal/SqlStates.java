package com.pazpaz.secrets.jdbc.internal;

/**
 * The SQLStates this driver reports or recognises, under pgjdbc's names ({@code
 * org.postgresql.util.PSQLState}), so that a state reads the same here as in pgjdbc's own
 * exceptions.
 *
 * <p>Every bad configuration (URL, key value, environment, secret, TLS settings, AWS failures)
 * reports {@link #CONNECTION_UNABLE_TO_CONNECT}: that is the state the README documents, and the
 * one pgjdbc itself gives a bad {@code sslmode}; pools treat it as "cannot connect", not as a
 * failed statement.
 */
public final class SqlStates {

  /** 08001: the connection could not be established (configuration, secret or AWS problems). */
  public static final String CONNECTION_UNABLE_TO_CONNECT = "08001";

  /** 28P01: PostgreSQL rejected the password. */
  public static final String INVALID_PASSWORD = "28P01";

  /** 28000: PostgreSQL rejected the authorization (for example no pg_hba entry for the role). */
  public static final String INVALID_AUTHORIZATION_SPECIFICATION = "28000";

  /**
   * A protocol violation. PgBouncer (up to at least 1.18) reports every error it raises itself with
   * this state, a rejected password included.
   */
  public static final String PROTOCOL_VIOLATION = "08P01";

  private SqlStates() {}
}
