package com.pazpaz.secrets.jdbc.internal;

import java.util.Map;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.protocols.jsoncore.JsonNode;
import software.amazon.awssdk.protocols.jsoncore.JsonNodeParser;

/**
 * The one reader of a secret's JSON object, for the driver and for the rotation's {@link
 * SecretDocument}. Errors name the secret and the key, never a value: the parser's own exception is
 * not attached because its message can quote the text it choked on.
 */
public final class SecretParser {

  private static final JsonNodeParser JSON = JsonNode.parser();

  private SecretParser() {}

  /**
   * The credentials in a secret version.
   *
   * @param secretString the version's {@code SecretString}; null for a binary secret
   */
  public static DatabaseSecret parse(String secretId, @Nullable String secretString)
      throws MalformedSecretException {
    return credentials(secretId, parseObject(secretId, secretString));
  }

  /** The JSON object of a {@code SecretString}; null stands for a binary secret. */
  static Map<String, JsonNode> parseObject(String secretId, @Nullable String secretString)
      throws MalformedSecretException {
    if (secretString == null) {
      throw malformed(secretId, "it is a binary secret; store the JSON as SecretString");
    }
    JsonNode root;
    try {
      root = JSON.parse(secretString);
    } catch (RuntimeException e) {
      throw malformed(secretId, "its SecretString is not valid JSON");
    }
    if (root == null || !root.isObject()) {
      throw malformed(secretId, "its SecretString is not a JSON object");
    }
    return root.asObject();
  }

  /** The login and endpoint of a secret's keys. */
  static DatabaseSecret credentials(String secretId, Map<String, JsonNode> fields)
      throws MalformedSecretException {
    String database = optionalText(secretId, fields, "database");
    return new DatabaseSecret(
        requiredText(secretId, fields, SecretDocument.USERNAME),
        requiredText(secretId, fields, SecretDocument.PASSWORD),
        host(secretId, fields),
        optionalPort(secretId, fields),
        database != null ? database : optionalText(secretId, fields, "dbname"),
        optionalText(secretId, fields, "ssl_cert_path"));
  }

  /**
   * The host as pgjdbc and TLS verification want it; written as it would be in a URL too: {@code
   * [::1]} and {@code db.internal.} are accepted.
   */
  private static @Nullable String host(String secretId, Map<String, JsonNode> fields)
      throws MalformedSecretException {
    String host = optionalText(secretId, fields, "host");
    return host == null ? null : Endpoint.bareHost(host.trim());
  }

  private static String requiredText(String secretId, Map<String, JsonNode> fields, String key)
      throws MalformedSecretException {
    String value = optionalText(secretId, fields, key);
    if (value == null) {
      throw malformed(secretId, "the key '%s' is missing or empty".formatted(key));
    }
    return value;
  }

  private static @Nullable String optionalText(
      String secretId, Map<String, JsonNode> fields, String key) throws MalformedSecretException {
    JsonNode node = fields.get(key);
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isString()) {
      throw malformed(secretId, "the key '%s' must be a string".formatted(key));
    }
    return node.asString().isEmpty() ? null : node.asString();
  }

  /** A port may be a number or a numeric string, as RDS and hand-written secrets differ. */
  private static @Nullable Integer optionalPort(String secretId, Map<String, JsonNode> fields)
      throws MalformedSecretException {
    JsonNode node = fields.get("port");
    if (node == null || node.isNull()) {
      return null;
    }
    String text = node.isNumber() ? node.asNumber() : node.isString() ? node.asString() : "";
    Integer port = Endpoint.port(text.trim());
    if (port == null) {
      throw malformed(secretId, "the key 'port' must be " + Endpoint.PORT_RANGE);
    }
    return port;
  }

  public static MalformedSecretException malformed(@Nullable String secretId, String reason) {
    return new MalformedSecretException(secretId, reason);
  }
}
