package com.pazpaz.secrets.jdbc.internal;

import java.sql.SQLException;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The value of {@code environment} / {@code ENVIRONMENT}: where the credentials come from. */
public enum DeploymentEnvironment {
  LOCAL(false),
  DEVELOPMENT(false),
  TEST(false),
  STAGING(true),
  PRODUCTION(true);

  private final boolean usesSecretsManager;

  DeploymentEnvironment(boolean usesSecretsManager) {
    this.usesSecretsManager = usesSecretsManager;
  }

  /** Staging and production read Secrets Manager and enforce verified TLS. */
  public boolean usesSecretsManager() {
    return usesSecretsManager;
  }

  public String displayName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static DeploymentEnvironment parse(String value) throws SQLException {
    for (DeploymentEnvironment environment : values()) {
      if (environment.displayName().equalsIgnoreCase(value.trim())) {
        return environment;
      }
    }
    String choices =
        Arrays.stream(values())
            .map(DeploymentEnvironment::displayName)
            .collect(Collectors.joining(", "));
    throw new SQLException(
        "Unknown environment '"
            + value
            + "' (key environment / env ENVIRONMENT). Use one of: "
            + choices,
        SqlStates.CONNECTION_UNABLE_TO_CONNECT);
  }
}
