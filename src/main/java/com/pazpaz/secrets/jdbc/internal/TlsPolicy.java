package com.pazpaz.secrets.jdbc.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import org.jspecify.annotations.Nullable;

/**
 * The TLS settings pgjdbc gets. In staging and production a connection is verified TLS unless the
 * user asks for at least {@code require}; weaker modes are refused. Elsewhere the user's choice (or
 * pgjdbc's default) stands.
 */
public final class TlsPolicy {

  public static final String DEFAULT_CA_FILE = "/etc/ssl/certs/ca-certificates.crt";
  public static final String VERIFY_FULL = "verify-full";

  private static final List<String> REFUSED_IN_PRODUCTION = List.of("disable", "allow", "prefer");
  private static final List<String> ACCEPTED_IN_PRODUCTION =
      List.of("require", "verify-ca", VERIFY_FULL);

  private TlsPolicy() {}

  /**
   * Sets {@code sslmode} and {@code sslrootcert} in {@code pgjdbc}.
   *
   * @param requestedMode the user's sslmode, or null
   * @param requestedRootCert the user's sslrootcert, or null
   * @param secretRootCert the secret's ssl_cert_path, or null
   */
  public static void apply(
      DeploymentEnvironment environment,
      @Nullable String requestedMode,
      @Nullable String requestedRootCert,
      @Nullable String secretRootCert,
      Properties pgjdbc)
      throws SQLException {
    if (!environment.usesSecretsManager()) {
      setIfPresent(pgjdbc, "sslmode", requestedMode);
      setIfPresent(
          pgjdbc, "sslrootcert", requestedRootCert != null ? requestedRootCert : secretRootCert);
      return;
    }
    String mode =
        requestedMode == null ? VERIFY_FULL : requestedMode.trim().toLowerCase(Locale.ROOT);
    if (!ACCEPTED_IN_PRODUCTION.contains(mode)) {
      throw new SQLException(
          ("sslmode=%s is refused in %s: database credentials must travel over TLS. Use"
                  + " verify-full (the default), verify-ca or require; only environment=local,"
                  + " development or test allow %s.")
              .formatted(mode, environment.displayName(), String.join(", ", REFUSED_IN_PRODUCTION)),
          SqlStates.CONNECTION_UNABLE_TO_CONNECT);
    }
    String rootCert = rootCert(mode, requestedRootCert, secretRootCert);
    pgjdbc.setProperty("sslmode", mode);
    pgjdbc.setProperty("sslrootcert", rootCert);
  }

  private static String rootCert(
      String mode, @Nullable String requested, @Nullable String fromSecret) throws SQLException {
    String source =
        requested != null
            ? "key sslrootcert"
            : fromSecret != null ? "the secret's ssl_cert_path" : "the default";
    String file = requested != null ? requested : fromSecret != null ? fromSecret : DEFAULT_CA_FILE;
    if (mode.startsWith("verify") && !Files.isReadable(Path.of(file))) {
      throw new SQLException(
          ("The CA file %s (%s) does not exist or cannot be read, so the server certificate cannot"
                  + " be verified. Install the CA bundle (for RDS: the region's global-bundle.pem),"
                  + " then point ssl_cert_path in the secret or the key sslrootcert at it.")
              .formatted(file, source),
          SqlStates.CONNECTION_UNABLE_TO_CONNECT);
    }
    return file;
  }

  private static void setIfPresent(Properties properties, String name, @Nullable String value) {
    if (value != null) {
      properties.setProperty(name, value);
    }
  }
}
