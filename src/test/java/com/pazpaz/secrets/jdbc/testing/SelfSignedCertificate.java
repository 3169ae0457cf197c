package com.pazpaz.secrets.jdbc.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

/**
 * A fresh RSA key pair with a self-signed certificate for {@code localhost} (DNS name plus both
 * loopback addresses), made by the JDK's own keytool so the tests need no crypto library. The
 * certificate is its own CA: clients trust it directly as pgjdbc's {@code sslrootcert}.
 */
public final class SelfSignedCertificate {

  private static final String ALIAS = "server";
  // Guards a throwaway keystore that exists for the milliseconds between keytool and load().
  private static final char[] STORE_PASSWORD = "throwaway".toCharArray();

  private final String certificatePem;
  private final String privateKeyPem;

  private SelfSignedCertificate(String certificatePem, String privateKeyPem) {
    this.certificatePem = certificatePem;
    this.privateKeyPem = privateKeyPem;
  }

  /** Generates a new key and certificate; {@code workDir} only holds keytool's keystore briefly. */
  public static SelfSignedCertificate generateForLocalhost(Path workDir) throws IOException {
    Path keystore = workDir.resolve("keytool-" + UUID.randomUUID() + ".p12");
    try {
      runKeytool(keystore);
      return load(keystore);
    } finally {
      Files.deleteIfExists(keystore);
    }
  }

  /** Writes the certificate as PEM; the same file serves as the CA file for verify-full. */
  public Path writeCertificate(Path file) throws IOException {
    return Files.writeString(file, certificatePem, StandardCharsets.US_ASCII);
  }

  /** Writes the private key as PKCS#8 PEM, mode 0600: PostgreSQL refuses a key others can read. */
  public Path writePrivateKey(Path file) throws IOException {
    Files.deleteIfExists(file);
    Files.createFile(
        file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    return Files.writeString(file, privateKeyPem, StandardCharsets.US_ASCII);
  }

  private static void runKeytool(Path keystore) throws IOException {
    Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
    List<String> command =
        List.of(
            keytool.toString(),
            "-genkeypair",
            "-keyalg",
            "RSA",
            "-keysize",
            "2048",
            "-alias",
            ALIAS,
            "-dname",
            "CN=localhost",
            "-ext",
            "SAN=dns:localhost,ip:127.0.0.1,ip:::1",
            "-validity",
            "3650",
            "-storetype",
            "PKCS12",
            "-keystore",
            keystore.toString(),
            "-storepass",
            new String(STORE_PASSWORD));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      if (process.waitFor() != 0) {
        throw new IOException("keytool failed: " + output.strip());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("Interrupted while waiting for keytool", e);
    }
  }

  private static SelfSignedCertificate load(Path keystore) throws IOException {
    try (InputStream in = Files.newInputStream(keystore)) {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(in, STORE_PASSWORD);
      Certificate certificate = store.getCertificate(ALIAS);
      Key key = store.getKey(ALIAS, STORE_PASSWORD);
      // Key.getEncoded() of an RSA private key is PKCS#8 DER, which "PRIVATE KEY" PEM wraps.
      return new SelfSignedCertificate(
          pem("CERTIFICATE", certificate.getEncoded()), pem("PRIVATE KEY", key.getEncoded()));
    } catch (GeneralSecurityException e) {
      throw new IOException("Could not read the keystore keytool wrote", e);
    }
  }

  private static String pem(String type, byte[] der) {
    String body = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der);
    return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
  }
}
