package com.pazpaz.secrets.jdbc.rotation;

import static com.pazpaz.secrets.jdbc.internal.SecretLocation.CURRENT;
import static com.pazpaz.secrets.jdbc.internal.SecretLocation.PENDING;

import com.pazpaz.secrets.jdbc.internal.ConnectionSettings;
import com.pazpaz.secrets.jdbc.internal.SecretDocument;
import com.pazpaz.secrets.jdbc.internal.SecretLocation;
import com.pazpaz.secrets.jdbc.internal.SecretsManagerCallException;
import com.pazpaz.secrets.jdbc.internal.SecretsManagerFailure;
import com.pazpaz.secrets.jdbc.internal.SecretsManagerSource;
import com.pazpaz.secrets.jdbc.internal.SqlStates;
import java.sql.SQLException;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueResponse;

/**
 * The versions of one secret, read and moved the way a rotation does it. Every call goes to Secrets
 * Manager, without a cache; a failed call is a {@link SecretsManagerCallException}.
 */
public final class SecretVersions {

  private final SecretsManagerClient client;
  private final String secretId;

  public SecretVersions(SecretsManagerClient client, String secretId) {
    this.client = client;
    this.secretId = secretId;
  }

  /**
   * The versions of the secret the settings name, through the source's shared client.
   *
   * @throws SecretsManagerCallException when no client can be built (no region, bad profile)
   */
  public static SecretVersions of(SecretsManagerSource source, ConnectionSettings settings)
      throws SQLException {
    try {
      return new SecretVersions(
          source.client(settings.secretLocation().client()), settings.secretId());
    } catch (SdkException e) {
      throw SecretsManagerCallException.from("client setup", settings.secretId(), e);
    }
  }

  /** The region the client calls. */
  public String region() {
    return String.valueOf(client.serviceClientConfiguration().region());
  }

  public String secretId() {
    return secretId;
  }

  /** Another secret through the same client: the master secret of an alternating rotation. */
  public SecretVersions otherSecret(String otherSecretId) {
    return new SecretVersions(client, otherSecretId);
  }

  public SecretDescription describe() throws SQLException {
    return call(
        "DescribeSecret",
        () -> SecretDescription.of(client.describeSecret(r -> r.secretId(secretId))));
  }

  /**
   * The version carrying AWSCURRENT, which every secret has once it holds a value.
   *
   * @throws SQLException when it has none
   */
  public SecretVersion current() throws SQLException {
    SecretVersion current = read(SecretLocation.CURRENT);
    if (current == null) {
      throw new SQLException(
          "Secret '%s' has no AWSCURRENT version.".formatted(secretId),
          SqlStates.CONNECTION_UNABLE_TO_CONNECT);
    }
    return current;
  }

  /** The version carrying {@code stage}, or null when no version carries it. */
  public @Nullable SecretVersion read(String stage) throws SQLException {
    return read(null, stage);
  }

  /**
   * The version {@code versionId} if it carries {@code stage}, or null when it does not exist, does
   * not carry the stage, or has no value yet (a rotation that Secrets Manager started and whose
   * createSecret has not run).
   *
   * @param versionId null for whichever version carries the stage
   */
  public @Nullable SecretVersion read(@Nullable String versionId, String stage)
      throws SQLException {
    GetSecretValueResponse response;
    try {
      response =
          call(
              "GetSecretValue",
              () ->
                  client.getSecretValue(
                      r -> r.secretId(secretId).versionId(versionId).versionStage(stage)));
    } catch (SecretsManagerCallException e) {
      if (e.failure() == SecretsManagerFailure.NOT_FOUND) {
        return null;
      }
      throw e;
    }
    return new SecretVersion(
        response.versionId(), SecretDocument.parse(secretId, response.secretString()));
  }

  /**
   * Stores {@code document} as a new version {@code token} with the stage AWSPENDING. Repeating the
   * call with the same token and document is harmless: Secrets Manager ignores the retry.
   */
  public void putPending(String token, SecretDocument document) throws SQLException {
    call(
        "PutSecretValue",
        () ->
            client.putSecretValue(
                r ->
                    r.secretId(secretId)
                        .clientRequestToken(token)
                        .secretString(document.toJson())
                        .versionStages(PENDING)));
  }

  /** Moves AWSCURRENT from {@code fromVersionId} to {@code toVersionId}; AWSPREVIOUS follows. */
  public void promote(String toVersionId, @Nullable String fromVersionId) throws SQLException {
    call(
        "UpdateSecretVersionStage",
        () ->
            client.updateSecretVersionStage(
                r ->
                    r.secretId(secretId)
                        .versionStage(CURRENT)
                        .moveToVersionId(toVersionId)
                        .removeFromVersionId(fromVersionId)));
  }

  /** Takes AWSPENDING off a version, so that the next rotation does not see a rotation running. */
  public void removePending(String versionId) throws SQLException {
    call(
        "UpdateSecretVersionStage",
        () ->
            client.updateSecretVersionStage(
                r -> r.secretId(secretId).versionStage(PENDING).removeFromVersionId(versionId)));
  }

  private <T> T call(String operation, Supplier<T> request) throws SecretsManagerCallException {
    try {
      return request.get();
    } catch (SdkException e) {
      throw SecretsManagerCallException.from(operation, secretId, e);
    }
  }
}
