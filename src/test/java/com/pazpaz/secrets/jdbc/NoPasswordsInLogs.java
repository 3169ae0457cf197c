package com.pazpaz.secrets.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.pazpaz.secrets.jdbc.testing.LogCapture;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Captures every logger at the finest level (the driver, pgjdbc, the AWS SDK through SLF4J) for a
 * whole test class, then searches the capture for every password the class used: any hit fails the
 * class.
 */
public final class NoPasswordsInLogs implements BeforeAllCallback, AfterAllCallback {

  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(NoPasswordsInLogs.class);

  @Override
  public void beforeAll(ExtensionContext context) {
    context.getStore(NAMESPACE).put("logs", LogCapture.finest());
  }

  @Override
  public void afterAll(ExtensionContext context) {
    LogCapture logs = context.getStore(NAMESPACE).remove("logs", LogCapture.class);
    logs.close();
    List<String> leaks =
        DriverTestSupport.passwordsUsed().stream()
            .flatMap(password -> logs.linesContaining(password).stream())
            .toList();
    assertEquals(List.of(), leaks, "password found in " + logs.lines().size() + " log lines");
  }
}
