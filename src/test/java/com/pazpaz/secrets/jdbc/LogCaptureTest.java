package com.pazpaz.secrets.jdbc;

import static com.pazpaz.secrets.jdbc.DriverTestSupport.unique;
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
    TestDeployment app = TestDeployment.builder("log_app").secretId(unique("logs")).create();
    try (LogCapture logs = LogCapture.finest()) {
      app.driver().connect(app.url(), new Properties()).close();
      assertFalse(logs.linesContaining("software.amazon.awssdk").isEmpty(), "no AWS SDK lines");
      assertFalse(logs.linesContaining("org.postgresql").isEmpty(), "no pgjdbc lines");
      assertTrue(logs.linesContaining(app.password()).isEmpty(), "password logged");
    }
  }
}
