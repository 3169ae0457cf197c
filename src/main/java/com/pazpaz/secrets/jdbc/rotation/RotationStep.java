package com.pazpaz.secrets.jdbc.rotation;

import java.sql.SQLException;
import java.util.Arrays;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** The four steps of a Secrets Manager rotation, by the names its events use. */
public enum RotationStep {
  CREATE_SECRET("createSecret"),
  SET_SECRET("setSecret"),
  TEST_SECRET("testSecret"),
  FINISH_SECRET("finishSecret");

  private final String eventName;

  RotationStep(String eventName) {
    this.eventName = eventName;
  }

  /** The name in the rotation event's {@code Step} key. */
  public String eventName() {
    return eventName;
  }

  public static Optional<RotationStep> parse(@Nullable String eventName) {
    return Arrays.stream(values()).filter(step -> step.eventName.equals(eventName)).findFirst();
  }

  /** Runs this step of {@code rotation} for the pending version {@code token}; says what it did. */
  public String run(SecretRotation rotation, String token) throws SQLException {
    return switch (this) {
      case CREATE_SECRET -> rotation.createSecret(token);
      case SET_SECRET -> rotation.setSecret(token);
      case TEST_SECRET -> rotation.testSecret(token);
      case FINISH_SECRET -> rotation.finishSecret(token);
    };
  }
}
