package com.pazpaz.secrets.jdbc;

import static com.pazpaz.secrets.jdbc.DriverTestSupport.createRole;
import static com.pazpaz.secrets.jdbc.DriverTestSupport.isolatedDriver;
import static com.pazpaz.secrets.jdbc.DriverTestSupport.password;
import static com.pazpaz.secrets.jdbc.DriverTestSupport.secretJson;
import static com.pazpaz.secrets.jdbc.DriverTestSupport.secretsManager;
import static com.pazpaz.secrets.jdbc.DriverTestSupport.unique;
import static com.pazpaz.secrets.jdbc.DriverTestSupport.url;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pazpaz.secrets.jdbc.testing.LogCapture;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * The leak checks are only worth something if the capture sees the dependencies' debug output: the
 * AWS SDK's request logging (SLF4J, routed to JUL in tests) and pgjdbc's. This proves it does, and
 * that none of it carries the password.
 */
class LogCaptureTest {

  @Test
  void finestCaptureSeesTheSdkAndPgjdbcButNoPassword() throws Exception {
    String role = unique("log_app");
    String password = password(role);
    createRole(role, password);
    String secret = unique("logs");
    secretsManager().createSecret(secret, secretJson(role, password));
    try (LogCapture logs = LogCapture.finest()) {
      isolatedDriver().connect(url(secret), new Properties()).close();
      assertFalse(logs.linesContaining("software.amazon.awssdk").isEmpty(), "no AWS SDK lines");
      assertFalse(logs.linesContaining("org.postgresql").isEmpty(), "no pgjdbc lines");
      assertTrue(logs.linesContaining(password).isEmpty(), "password logged");
    }
  }
}
