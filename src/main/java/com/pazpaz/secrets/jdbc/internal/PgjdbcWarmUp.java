package com.pazpaz.secrets.jdbc.internal;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.CertificateFactory;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/**
 * Loads and initialises what a first pgjdbc login with verified TLS and SCRAM needs: pgjdbc's login
 * classes, JSSE, the certificate and key-store machinery and SCRAM's algorithms. Run on a
 * background thread while the first connect waits for Secrets Manager, so that the login that
 * follows finds them ready. Best effort: anything missing (pgjdbc not on the class path, a class
 * another pgjdbc version does not have) is left for the login itself to load or report.
 */
final class PgjdbcWarmUp {

  /** Entry points of pgjdbc's login path; loading them loads most of what they use. */
  private static final String[] PGJDBC_CLASSES = {
    "org.postgresql.Driver",
    "org.postgresql.PGProperty",
    "org.postgresql.core.v3.ConnectionFactoryImpl",
    "org.postgresql.core.PGStream",
    "org.postgresql.ssl.MakeSSL",
    "org.postgresql.ssl.LibPQFactory",
    "org.postgresql.ssl.PGjdbcHostnameVerifier",
    "org.postgresql.jre7.sasl.ScramAuthenticator",
    "org.postgresql.core.v3.QueryExecutorImpl",
    "org.postgresql.jdbc.PgConnection",
    "org.postgresql.jdbc.PgStatement",
    "org.postgresql.jdbc.PgResultSet",
  };

  private PgjdbcWarmUp() {}

  static void run() {
    ClassLoader loader = PgjdbcWarmUp.class.getClassLoader();
    for (String name : PGJDBC_CLASSES) {
      try {
        Class.forName(name, true, loader);
      } catch (ClassNotFoundException | LinkageError e) {
        // Not on the class path, or not in this pgjdbc version: the login decides.
      }
    }
    try {
      SSLContext tls = SSLContext.getInstance("TLS");
      tls.init(new KeyManager[0], new TrustManager[0], null);
      tls.getSocketFactory().createSocket().close();
      CertificateFactory.getInstance("X.509");
      KeyStore.getInstance(KeyStore.getDefaultType()).load(null, null);
      TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      MessageDigest.getInstance("SHA-256");
      Mac.getInstance("HmacSHA256");
      SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256");
    } catch (GeneralSecurityException | IOException | RuntimeException e) {
      // The login sets up TLS itself and reports what fails.
    }
  }
}
