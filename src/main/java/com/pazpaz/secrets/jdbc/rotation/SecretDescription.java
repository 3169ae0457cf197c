package com.pazpaz.secrets.jdbc.rotation;

import com.pazpaz.secrets.jdbc.internal.SecretLocation;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.secretsmanager.model.DescribeSecretResponse;

/**
 * What {@code DescribeSecret} says about a secret: which version carries which stage, and when it
 * was rotated. No secret value.
 *
 * @param versionStages version id to its stages; versions without a stage are left out
 * @param rotationDays the schedule's {@code AutomaticallyAfterDays}, or null
 */
public record SecretDescription(
    Map<String, List<String>> versionStages,
    @Nullable Instant lastRotatedDate,
    @Nullable Instant lastChangedDate,
    @Nullable Instant createdDate,
    boolean rotationEnabled,
    @Nullable Long rotationDays) {

  public static SecretDescription of(DescribeSecretResponse response) {
    return new SecretDescription(
        response.hasVersionIdsToStages() ? Map.copyOf(response.versionIdsToStages()) : Map.of(),
        response.lastRotatedDate(),
        response.lastChangedDate(),
        response.createdDate(),
        Boolean.TRUE.equals(response.rotationEnabled()),
        response.rotationRules() == null
            ? null
            : response.rotationRules().automaticallyAfterDays());
  }

  /** The version carrying {@code stage}, or null. */
  public @Nullable String versionWith(String stage) {
    return versionStages.entrySet().stream()
        .filter(entry -> entry.getValue().contains(stage))
        .map(Map.Entry::getKey)
        .findFirst()
        .orElse(null);
  }

  /**
   * The AWSPENDING version of a rotation that has not reached finishSecret, or null: AWSPENDING on
   * another version than AWSCURRENT.
   */
  public @Nullable String unfinishedRotation() {
    String pending = versionWith(SecretLocation.PENDING);
    return pending != null && !pending.equals(versionWith(SecretLocation.CURRENT)) ? pending : null;
  }

  /** The stages of a version; empty when it has none or does not exist. */
  public List<String> stagesOf(String versionId) {
    return versionStages.getOrDefault(versionId, List.of());
  }

  public boolean hasVersion(String versionId) {
    return versionStages.containsKey(versionId);
  }

  /**
   * When the password last changed, as far as Secrets Manager knows: the last rotation, else the
   * last change, else the creation.
   */
  public LastChange lastChange() {
    if (lastRotatedDate != null) {
      return new LastChange(lastRotatedDate, "last rotated");
    }
    if (lastChangedDate != null) {
      return new LastChange(lastChangedDate, "never rotated; last changed");
    }
    return new LastChange(createdDate, "never rotated; created");
  }

  /** A date and the words that say which date it is. */
  public record LastChange(@Nullable Instant date, String what) {}
}
