package com.pazpaz.secrets.jdbc;

import com.pazpaz.secrets.jdbc.testing.LocalSecretsManager;
import com.pazpaz.secrets.jdbc.testing.LocalSecretsManager.Fault;

/**
 * The ways a Secrets Manager endpoint can be down, for the outage tests ({@link OutageTest}, {@link
 * ReplicaRegionTest}) to run each one: the local endpoint's faults, plus REFUSED (the endpoint is
 * gone and refuses connections). Each comes with the AWS error code a failed read reports and an
 * {@code awsApiCallTimeout} long enough for that failure to arrive on a busy machine (HANG is
 * short, as it only ends by timing out).
 */
enum Outage {
  INTERNAL_ERROR("InternalServiceError", "PT20S"),
  THROTTLING("ThrottlingException", "PT20S"),
  DROP_CONNECTION("ClientError", "PT20S"),
  HANG("ApiCallTimeout", "PT2S"),
  REFUSED("ClientError", "PT20S");

  private final String errorCode;
  private final String apiCallTimeout;

  Outage(String errorCode, String apiCallTimeout) {
    this.errorCode = errorCode;
    this.apiCallTimeout = apiCallTimeout;
  }

  /** The AWS error code in the driver's message when a read fails with this outage. */
  String errorCode() {
    return errorCode;
  }

  /** The URL's {@code awsApiCallTimeout=...} pair for a read during this outage. */
  String apiCallTimeout() {
    return "awsApiCallTimeout=" + apiCallTimeout;
  }

  /** From now on, the endpoint fails every request this way (REFUSED: it is closed). */
  void start(LocalSecretsManager endpoint) {
    if (this == REFUSED) {
      endpoint.close();
    } else {
      endpoint.failAlways(Fault.valueOf(name()));
    }
  }
}
