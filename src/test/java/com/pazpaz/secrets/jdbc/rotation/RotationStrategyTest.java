package com.pazpaz.secrets.jdbc.rotation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Which user the next version of a secret names. */
class RotationStrategyTest {

  @Test
  void singleKeepsTheUserAndAlternatingSwitchesBetweenUserAndClone() {
    assertEquals("app", RotationStrategy.SINGLE.pendingUsername("app"));
    assertEquals("app_clone", RotationStrategy.ALTERNATING.pendingUsername("app"));
    assertEquals("app", RotationStrategy.ALTERNATING.pendingUsername("app_clone"));
  }

  @Test
  void aCloneNameLongerThanPostgresAllowsIsRefused() {
    String sixtyCharacters = "a".repeat(60);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> RotationStrategy.ALTERNATING.pendingUsername(sixtyCharacters));
    assertTrue(e.getMessage().contains("63-byte"), e.getMessage());
    assertEquals(63, RotationStrategy.ALTERNATING.pendingUsername("a".repeat(57)).length());
  }

  @Test
  void strategiesParseByTheirCommandLineNames() {
    assertEquals(RotationStrategy.SINGLE, RotationStrategy.parse("single").orElseThrow());
    assertEquals(
        RotationStrategy.ALTERNATING, RotationStrategy.parse(" Alternating ").orElseThrow());
    assertFalse(RotationStrategy.parse("multi").isPresent());
  }
}
