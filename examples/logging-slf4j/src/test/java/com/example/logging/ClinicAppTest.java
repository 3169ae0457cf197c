package com.example.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import com.pazpaz.secrets.jdbc.testing.EmbeddedDeployment;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class ClinicAppTest {

  private static EmbeddedDeployment deployment;

  private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
  private final Logger driverLogger = (Logger) LoggerFactory.getLogger("com.pazpaz.secrets.jdbc");
  private final ListAppender<ILoggingEvent> events = new ListAppender<>();
  private Level rootLevel;
  private Level driverLevel;

  @BeforeAll
  static void startServers() {
    deployment = EmbeddedDeployment.start().useInThisJvm();
  }

  @AfterAll
  static void stopServers() {
    deployment.close();
  }

  // Every logger at TRACE, so that a password logged at any level, by the driver or by the AWS
  // SDK (which logs to SLF4J directly), would be caught.
  @BeforeEach
  void captureEverything() {
    rootLevel = root.getLevel();
    driverLevel = driverLogger.getLevel();
    root.setLevel(Level.TRACE);
    driverLogger.setLevel(Level.TRACE);
    events.start();
    root.addAppender(events);
  }

  @AfterEach
  void restoreLevels() {
    root.detachAppender(events);
    root.setLevel(rootLevel);
    driverLogger.setLevel(driverLevel);
  }

  // One test: the secret is fetched (and logged) once per JVM, then served from the cache.
  @Test
  void driverEventsArriveInLogbackAndNoPasswordDoes() throws Exception {
    ClinicApp.main(new String[0]);

    ILoggingEvent fetched =
        events.list.stream()
            .filter(
                e -> e.getFormattedMessage().startsWith("database_credentials_fetched_from_aws "))
            .findFirst()
            .orElseThrow(
                () ->
                    new AssertionError(
                        "no database_credentials_fetched_from_aws in " + messages()));
    assertEquals("com.pazpaz.secrets.jdbc", fetched.getLoggerName());
    assertEquals(Level.INFO, fetched.getLevel());
    assertTrue(fetched.getFormattedMessage().contains("secret=pazpaz/database-credentials"));
    assertTrue(messages().contains("connected as " + EmbeddedDeployment.ROLE));

    for (ILoggingEvent event : events.list) {
      assertFalse(
          everythingIn(event).contains(deployment.password()),
          () -> "the password was logged by " + event.getLoggerName());
    }
  }

  private List<String> messages() {
    return events.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
  }

  private static String everythingIn(ILoggingEvent event) {
    StringBuilder text =
        new StringBuilder(event.getFormattedMessage())
            .append(' ')
            .append(event.getMessage())
            .append(' ')
            .append(event.getMDCPropertyMap())
            .append(' ')
            .append(event.getKeyValuePairs());
    if (event.getArgumentArray() != null) {
      for (Object argument : event.getArgumentArray()) {
        text.append(' ').append(argument);
      }
    }
    for (IThrowableProxy t = event.getThrowableProxy(); t != null; t = t.getCause()) {
      text.append(' ').append(t.getClassName()).append(' ').append(t.getMessage());
    }
    return text.toString();
  }
}
