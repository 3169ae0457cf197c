package com.pazpaz.secrets.jdbc.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The event lines that operators grep and alarm on. */
class LoggingTest {

  @Test
  void anEventIsItsNameAndItsKeyValuePairsInOrder() {
    assertEquals(
        "failed_to_fetch_secret secret=clinic/db stage=AWSCURRENT error=ResourceNotFoundException",
        Logging.event(
            "failed_to_fetch_secret",
            "secret",
            "clinic/db",
            "stage",
            "AWSCURRENT",
            "error",
            "ResourceNotFoundException"));
  }

  @Test
  void aKeyWithoutAValueIsLeftOut() {
    assertEquals(
        "failed_to_fetch_secret secret=clinic/db error=InternalServiceError",
        Logging.event(
            "failed_to_fetch_secret",
            "secret",
            "clinic/db",
            "region",
            null,
            "error",
            "InternalServiceError"));
  }
}
