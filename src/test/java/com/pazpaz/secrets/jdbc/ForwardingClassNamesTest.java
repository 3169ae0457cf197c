package com.pazpaz.secrets.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Lambda functions and scripts configured with the classes' first names keep working. */
class ForwardingClassNamesTest {

  @Test
  void theLambdaHandlerUnderItsFirstNameRunsTheRotationHandlersChecks() {
    IllegalArgumentException refused =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                new RotationLambdaHandler()
                    .handleRequest(
                        Map.of("ClientRequestToken", "t", "Step", "createSecret"), null));
    IllegalArgumentException fromTheEngine =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                new com.pazpaz.secrets.jdbc.rotation.RotationLambdaHandler()
                    .handleRequest(
                        Map.of("ClientRequestToken", "t", "Step", "createSecret"), null));
    assertEquals(fromTheEngine.getMessage(), refused.getMessage());
  }
}
