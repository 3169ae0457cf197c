package com.pazpaz.secrets.jdbc;

import static com.pazpaz.secrets.jdbc.DriverTestSupport.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pazpaz.secrets.jdbc.internal.DriverRuntime;
import com.pazpaz.secrets.jdbc.internal.SecretsManagerSource;
import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.util.Properties;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** One MXBean per cached secret, read the way an operator's JMX tool does. */
@ExtendWith(NoPasswordsInLogs.class)
class SecretMXBeanTest {

  private final MBeanServer server = ManagementFactory.getPlatformMBeanServer();

  @Test
  void countsARotationRescuedByAwsPendingAndShowsNoSecretValue() throws Exception {
    TestDeployment app = TestDeployment.builder("jmx_app").secretId(unique("team/jmx")).create();
    String secret = app.secretId();
    String newPassword = app.newPassword();
    String firstVersion = app.versionId("AWSCURRENT");
    DriverRuntime runtime = new DriverRuntime(new SecretsManagerSource());
    PazPazSecretsDriver driver =
        new PazPazSecretsDriver(() -> runtime, System::getProperty, name -> null);
    driver.connect(app.url(), new Properties()).close();

    ObjectName name =
        new ObjectName("com.pazpaz.secrets.jdbc:type=Secret,name=" + ObjectName.quote(secret));
    assertTrue(server.isRegistered(name), name + " not registered");
    assertEquals("", server.getAttribute(name, "LoginVersionId"));
    assertEquals("", server.getAttribute(name, "LoginStage"));
    assertEquals(0L, server.getAttribute(name, "RejectedLogins"));
    assertEquals(secret, server.getAttribute(name, "SecretId"));
    assertEquals(firstVersion, server.getAttribute(name, "CurrentVersionId"));
    assertEquals(1L, server.getAttribute(name, "Fetches"));
    Instant.parse((String) server.getAttribute(name, "LastFetchTime"));

    app.storeVersion(newPassword, "AWSPENDING");
    app.alterPassword(newPassword);
    driver.connect(app.url(), new Properties()).close();

    assertEquals(1L, server.getAttribute(name, "ForcedReads"));
    assertEquals(1L, server.getAttribute(name, "LoginsRetried"));
    assertEquals(1L, server.getAttribute(name, "LoginsRescuedByPending"));
    assertEquals(3L, server.getAttribute(name, "Fetches"));
    assertEquals(0L, server.getAttribute(name, "FailedFetches"));
    assertEquals(firstVersion, server.getAttribute(name, "CurrentVersionId"));
    assertEquals(1L, server.getAttribute(name, "RejectedLogins"));
    // The pending version is the login new connects use, shown apart from the cached version.
    String pendingVersion = app.versionId("AWSPENDING");
    assertEquals(pendingVersion, server.getAttribute(name, "LoginVersionId"));
    assertEquals("AWSPENDING", server.getAttribute(name, "LoginStage"));
    driver.connect(app.url(), new Properties()).close();
    assertEquals(1L, server.getAttribute(name, "RejectedLogins"));
    assertEquals(3L, server.getAttribute(name, "Fetches"));

    for (MBeanAttributeInfo attribute : server.getMBeanInfo(name).getAttributes()) {
      String value = String.valueOf(server.getAttribute(name, attribute.getName()));
      assertFalse(
          value.contains(app.password()) || value.contains(newPassword), attribute.getName());
    }

    runtime.close();
    assertFalse(server.isRegistered(name), "MXBean left registered after close");
  }
}
