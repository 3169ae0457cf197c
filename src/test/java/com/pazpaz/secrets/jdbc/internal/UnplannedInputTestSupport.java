package com.pazpaz.secrets.jdbc.internal;

/** Shared by the parser tests and the real-login tests of unplanned input. */
public final class UnplannedInputTestSupport {

  private UnplannedInputTestSupport() {}

  /** The secret JSON padded with a "notes" key to the Secrets Manager maximum, 65,536 bytes. */
  public static String sixtyFourKibibyteSecret(String json) {
    return UnplannedInputTest.sixtyFourKibibyteSecret(json);
  }
}
