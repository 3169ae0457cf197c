package com.pazpaz.secrets.jdbc.internal;

import java.io.IOException;
import java.net.IDN;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.HashSet;
import java.util.Set;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.jspecify.annotations.Nullable;

/**
 * Loads and initialises, on a background thread while the first connect builds its AWS SDK client
 * and calls Secrets Manager, what that connect needs next anyway:
 *
 * <ol>
 *   <li>the JDK's default trust store (about 150 certificates to parse), which the SDK's HTTPS
 *       client loads while it is built: about a third of the client's build in a fresh JVM;
 *   <li>TLS itself, which the SDK and pgjdbc both set up, up to a first ClientHello;
 *   <li>pgjdbc's login classes.
 * </ol>
 *
 * Best effort: anything missing (pgjdbc not on the class path, a class another pgjdbc version does
 * not have) is left for the SDK or the login itself to load or report.
 */
final class FirstConnectWarmUp {

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

  // The JDK caches the parsed default trust store behind a weak reference only; holding its trust
  // managers keeps it until the first connect is done, so a garbage collection in between cannot
  // make the SDK parse it again.
  private TrustManager @Nullable [] defaultTrust;

  private volatile boolean firstConnectOver;

  void run() {
    TrustManager @Nullable [] trust = defaultTrustManagers();
    keep(trust);
    warmUpTls(trust);
    loadPgjdbc();
  }

  private synchronized void keep(TrustManager @Nullable [] trust) {
    if (!firstConnectOver) {
      defaultTrust = trust;
    }
  }

  /**
   * A connect is over, whether it succeeded or not: the JDK may let the store go. Called after
   * every connect, so after the first it only reads a flag.
   */
  void finished() {
    if (firstConnectOver) {
      return;
    }
    synchronized (this) {
      firstConnectOver = true;
      defaultTrust = null;
    }
  }

  /** Whether the default trust store is held now; for tests. */
  synchronized boolean holdsTrustStore() {
    return defaultTrust != null;
  }

  private static TrustManager @Nullable [] defaultTrustManagers() {
    try {
      TrustManagerFactory factory =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init((KeyStore) null);
      return factory.getTrustManagers();
    } catch (GeneralSecurityException | RuntimeException e) {
      return null; // The SDK loads the trust store itself and reports what fails.
    }
  }

  /**
   * TLS as a client sets it up: a context, and a first ClientHello, whose key shares take a key
   * pair of each offered curve (their arithmetic runs interpreted in a fresh JVM). The handshake
   * that follows checks certificate signatures and the host name (pgjdbc through {@link IDN}).
   */
  private static void warmUpTls(TrustManager @Nullable [] trust) {
    try {
      SSLContext tls = SSLContext.getInstance("TLS");
      tls.init(new KeyManager[0], trust, null);
      SSLEngine engine = tls.createSSLEngine("localhost", 5432);
      engine.setUseClientMode(true);
      ByteBuffer clientHello = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
      engine.wrap(ByteBuffer.allocate(0), clientHello);
      engine.closeOutbound();
      IDN.toASCII("localhost");
      verifyRootSignatures(trust);
      KeyStore.getInstance(KeyStore.getDefaultType()).load(null, null);
    } catch (GeneralSecurityException | IOException | RuntimeException e) {
      // The SDK and the login set up TLS themselves and report what fails.
    }
  }

  /** One RSA and one EC root certificate each checks its own signature. */
  private static void verifyRootSignatures(TrustManager @Nullable [] trust)
      throws GeneralSecurityException {
    if (trust == null) {
      return;
    }
    Set<String> verified = new HashSet<>();
    for (TrustManager manager : trust) {
      if (manager instanceof X509TrustManager x509) {
        for (X509Certificate root : x509.getAcceptedIssuers()) {
          String algorithm = root.getPublicKey().getAlgorithm();
          if (verified.size() < 2 && verified.add(algorithm)) {
            root.verify(root.getPublicKey());
          }
        }
      }
    }
  }

  private static void loadPgjdbc() {
    ClassLoader loader = FirstConnectWarmUp.class.getClassLoader();
    for (String name : PGJDBC_CLASSES) {
      try {
        Class.forName(name, true, loader);
      } catch (ClassNotFoundException | LinkageError e) {
        // Not on the class path, or not in this pgjdbc version: the login decides.
      }
    }
  }
}
