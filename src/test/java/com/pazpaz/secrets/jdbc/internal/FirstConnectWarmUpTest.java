package com.pazpaz.secrets.jdbc.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The warm-up holds the JDK's default trust store only while the first connect needs it: never
 * after that connect ended, whichever of the two finishes first.
 */
class FirstConnectWarmUpTest {

  @Test
  void holdsTheTrustStoreUntilTheFirstConnectEnds() {
    FirstConnectWarmUp warmUp = new FirstConnectWarmUp();
    warmUp.run();
    assertTrue(warmUp.holdsTrustStore());
    warmUp.finished();
    assertFalse(warmUp.holdsTrustStore());
  }

  @Test
  void keepsNothingWhenTheFirstConnectEndedBeforeTheWarmUp() {
    FirstConnectWarmUp warmUp = new FirstConnectWarmUp();
    warmUp.finished();
    warmUp.run();
    assertFalse(warmUp.holdsTrustStore());
  }
}
