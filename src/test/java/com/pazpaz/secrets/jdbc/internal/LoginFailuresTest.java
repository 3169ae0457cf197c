package com.pazpaz.secrets.jdbc.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.sql.SQLException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Which connect failures make the driver read the secret again. The 08P01 messages are the ones
 * pgjdbc surfaces from PgBouncer 1.18, observed against it (README: "Behind PgBouncer").
 */
class LoginFailuresTest {

  @Test
  void postgresRejectingThePasswordIsALoginFailure() {
    assertTrue(
        LoginFailures.isLoginFailure(
            new SQLException("FATAL: password authentication failed for user \"app\"", "28P01")));
  }

  @Test
  void postgresRejectingTheAuthorizationIsALoginFailure() {
    assertTrue(
        LoginFailures.isLoginFailure(
            new SQLException("FATAL: no pg_hba.conf entry for host \"10.0.0.1\"", "28000")));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        // PgBouncer's SCRAM check against the verifier auth_query read: the wrong password.
        "FATAL: SASL authentication failed",
        // auth_query found no such role (a user name the secret no longer matches).
        "FATAL: no such user",
        // PgBouncer's own check with auth_type plain or md5.
        "FATAL: password authentication failed",
        // PostgreSQL refused PgBouncer's server login; PgBouncer passes the text on as 08P01.
        "FATAL: password authentication failed for user \"app\"",
        // Without pgjdbc's severity prefix, and with a detail line after it.
        "SASL authentication failed",
        "FATAL: SASL authentication failed\n  Detail: none",
      })
  void pgBouncerRejectingTheLoginIsALoginFailure(String message) {
    assertTrue(LoginFailures.isLoginFailure(new SQLException(message, "08P01")), message);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        // PgBouncer holding logins after a failed server login: retrying now would not help.
        "FATAL: server login has been failing, try again later (server_login_retry)",
        "FATAL: unsupported startup parameter: extra_float_digits",
        "FATAL: SSL required",
        "FATAL: no more connections allowed (max_client_conn)",
        "FATAL: client selected an invalid SASL authentication mechanism",
        "FATAL: bouncer config error",
        "ERROR: query_wait_timeout",
        // pgjdbc's own protocol errors.
        "Protocol error.  Session setup failed.",
        "Expected an EOF from server, got: 0",
        // The words inside a longer message are not the message.
        "FATAL: the SASL authentication failed because the pooler crashed",
        "FATAL: unexpected no such user reply",
        "",
      })
  void otherProtocolViolationsAreNotLoginFailures(String message) {
    assertFalse(LoginFailures.isLoginFailure(new SQLException(message, "08P01")), message);
  }

  @Test
  void protocolViolationWithoutAMessageIsNotALoginFailure() {
    assertFalse(LoginFailures.isLoginFailure(new SQLException(null, "08P01")));
  }

  @Test
  void authenticationWordsUnderAnotherStateAreNotALoginFailure() {
    assertFalse(
        LoginFailures.isLoginFailure(new SQLException("SASL authentication failed", "08001")));
    assertFalse(
        LoginFailures.isLoginFailure(
            new SQLException(
                "FATAL: password authentication failed for user \"app\"", (String) null)));
  }

  @Test
  void connectionRejectedIsNotALoginFailure() {
    assertFalse(
        LoginFailures.isLoginFailure(
            new SQLException("Secret 'app' was not found in Secrets Manager", "08001")));
  }

  @Test
  void tlsFailureIsNotALoginFailure() {
    SQLException tls =
        new SQLException(
            "SSL error: PKIX path building failed",
            "08006",
            new SSLHandshakeException("PKIX path building failed"));
    assertFalse(LoginFailures.isLoginFailure(tls));
  }

  @Test
  void aRejectionDeepInTheCauseChainIsFound() {
    SQLException pgBouncer = new SQLException("FATAL: SASL authentication failed", "08P01");
    SQLException wrapped =
        new SQLException("could not connect", "08001", new IOException("retry failed", pgBouncer));
    assertTrue(LoginFailures.isLoginFailure(wrapped));
    assertTrue(
        LoginFailures.isLoginFailure(
            new RuntimeException(new SQLException("FATAL: bad password", "28P01"))));
  }

  @Test
  void aChainWithoutARejectionIsNotALoginFailure() {
    SQLException chain =
        new SQLException(
            "could not connect",
            "08001",
            new SQLException("FATAL: SSL required", "08P01", new IOException("reset")));
    assertFalse(LoginFailures.isLoginFailure(chain));
    assertFalse(LoginFailures.isLoginFailure(new IOException("Connection refused")));
  }
}
