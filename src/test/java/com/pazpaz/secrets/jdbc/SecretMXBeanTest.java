package com.pazpaz.secrets.jdbc;

import static com.pazpaz.secrets.jdbc.DriverTestSupport.createRole;
import static com.pazpaz.secrets.jdbc.DriverTestSupport.password;
import static com.pazpaz.secrets.jdbc.DriverTestSupport.postgres;
import static com.pazpaz.secrets.jdbc.DriverTestSupport.secretJson;
import static com.pazpaz.secrets.jdbc.DriverTestSupport.secretsManager;
import static com.pazpaz.secrets.jdbc.DriverTestSupport.unique;
import static com.pazpaz.secrets.jdbc.DriverTestSupport.url;
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

/** Issue 3, visibility: one MXBean per cached secret, read the way an operator's JMX tool does. */
@ExtendWith(NoPasswordsInLogs.class)
class SecretMXBeanTest {

  private final MBeanServer server = ManagementFactory.getPlatformMBeanServer();

  @Test
  void countsARotationRescuedByAwsPendingAndShowsNoSecretValue() throws Exception {
    String role = unique("jmx_app");
    String oldPassword = password(role);
    String newPassword = password(role);
    createRole(role, oldPassword);
    String secret = unique("team/jmx");
    secretsManager().createSecret(secret, secretJson(role, oldPassword));
    String firstVersion = secretsManager().versionId(secret, "AWSCURRENT");
    DriverRuntime runtime = new DriverRuntime(new SecretsManagerSource());
    PazPazSecretsDriver driver =
        new PazPazSecretsDriver(() -> runtime, System::getProperty, name -> null);
    driver.connect(url(secret), new Properties()).close();

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

    secretsManager().putSecretValue(secret, secretJson(role, newPassword), "AWSPENDING");
    postgres().alterPassword(role, newPassword);
    driver.connect(url(secret), new Properties()).close();

    assertEquals(1L, server.getAttribute(name, "ForcedReads"));
    assertEquals(1L, server.getAttribute(name, "LoginsRetried"));
    assertEquals(1L, server.getAttribute(name, "LoginsRescuedByPending"));
    assertEquals(3L, server.getAttribute(name, "Fetches"));
    assertEquals(0L, server.getAttribute(name, "FailedFetches"));
    assertEquals(firstVersion, server.getAttribute(name, "CurrentVersionId"));
    assertEquals(1L, server.getAttribute(name, "RejectedLogins"));
    // The pending version is the login new connects use, shown apart from the cached version.
    String pendingVersion = secretsManager().versionId(secret, "AWSPENDING");
    assertEquals(pendingVersion, server.getAttribute(name, "LoginVersionId"));
    assertEquals("AWSPENDING", server.getAttribute(name, "LoginStage"));
    driver.connect(url(secret), new Properties()).close();
    assertEquals(1L, server.getAttribute(name, "RejectedLogins"));
    assertEquals(3L, server.getAttribute(name, "Fetches"));

    for (MBeanAttributeInfo attribute : server.getMBeanInfo(name).getAttributes()) {
      String value = String.valueOf(server.getAttribute(name, attribute.getName()));
      assertFalse(value.contains(oldPassword) || value.contains(newPassword), attribute.getName());
    }

    runtime.close();
    assertFalse(server.isRegistered(name), "MXBean left registered after close");
  }
}
