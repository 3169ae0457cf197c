package com.pazpaz.secrets.jdbc.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TlsPolicyTest {

  @TempDir Path folder;

  private Path caFile() throws Exception {
    return Files.writeString(folder.resolve("ca.pem"), "-----BEGIN CERTIFICATE-----\n");
  }

  @Test
  void productionDefaultsToVerifyFullWithTheSecretsCa() throws Exception {
    Properties pgjdbc = new Properties();
    String ca = caFile().toString();
    TlsPolicy.apply(DeploymentEnvironment.PRODUCTION, null, null, ca, pgjdbc);
    assertEquals("verify-full", pgjdbc.getProperty("sslmode"));
    assertEquals(ca, pgjdbc.getProperty("sslrootcert"));
  }

  @Test
  void userRootCertBeatsTheSecrets() throws Exception {
    Properties pgjdbc = new Properties();
    String ca = caFile().toString();
    TlsPolicy.apply(DeploymentEnvironment.STAGING, "verify-ca", ca, "/from/secret.pem", pgjdbc);
    assertEquals("verify-ca", pgjdbc.getProperty("sslmode"));
    assertEquals(ca, pgjdbc.getProperty("sslrootcert"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"disable", "allow", "prefer", "DISABLE", "nonsense"})
  void weakModesAreRefusedInProduction(String mode) {
    SQLException e =
        assertThrows(
            SQLException.class,
            () ->
                TlsPolicy.apply(
                    DeploymentEnvironment.PRODUCTION, mode, null, null, new Properties()));
    assertEquals("08001", e.getSQLState());
    assertTrue(e.getMessage().contains("refused in production"), e.getMessage());
    assertTrue(e.getMessage().contains("verify-full"), e.getMessage());
  }

  @Test
  void missingCaFileIsReportedBeforeConnecting() {
    SQLException e =
        assertThrows(
            SQLException.class,
            () ->
                TlsPolicy.apply(
                    DeploymentEnvironment.PRODUCTION,
                    null,
                    null,
                    folder.resolve("missing.pem").toString(),
                    new Properties()));
    assertTrue(e.getMessage().contains("missing.pem"), e.getMessage());
    assertTrue(e.getMessage().contains("ssl_cert_path"), e.getMessage());
  }

  @Test
  void localLeavesTlsToTheUserAndPgjdbc() throws SQLException {
    Properties pgjdbc = new Properties();
    TlsPolicy.apply(DeploymentEnvironment.LOCAL, null, null, null, pgjdbc);
    assertNull(pgjdbc.getProperty("sslmode"));
    TlsPolicy.apply(DeploymentEnvironment.LOCAL, "disable", null, null, pgjdbc);
    assertEquals("disable", pgjdbc.getProperty("sslmode"));
  }
}
