package com.pazpaz.secrets.jdbc.internal;

import java.sql.SQLException;
import org.jspecify.annotations.Nullable;

/**
 * The secret was read but cannot be used: binary, not a JSON object, or a key missing or mistyped.
 * The message names the secret and the key, never a value.
 */
public final class MalformedSecretException extends SQLException {

  MalformedSecretException(@Nullable String secretId, String reason) {
    super(
        ("Secret '%s' cannot be used: %s. It must be a JSON object with username, password, host,"
                + " port and database (ssl_cert_path optional).")
            .formatted(secretId, reason),
        SqlStates.CONNECTION_UNABLE_TO_CONNECT);
  }
}
