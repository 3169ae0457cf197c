package com.pazpaz.secrets.jdbc.internal;

import java.sql.SQLException;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.protocols.jsoncore.JsonNode;
import software.amazon.awssdk.protocols.jsoncore.JsonNodeParser;

/**
 * Reads the secret's JSON object. Errors name the secret and the key, never a value: the parser's
 * own exception is not attached because its message can quote the text it choked on.
 */
public final class SecretParser {

  private static final JsonNodeParser JSON = JsonNode.parser();

  private SecretParser() {}

  public static DatabaseSecret parse(String secretId, String secretString) throws SQLException {
    Map<String, JsonNode> fields = parseObject(secretId, secretString);
    String database = optionalText(secretId, fields, "database");
    return new DatabaseSecret(
        requiredText(secretId, fields, "username"),
        requiredText(secretId, fields, "password"),
        host(secretId, fields),
        optionalPort(secretId, fields),
        database != null ? database : optionalText(secretId, fields, "dbname"),
        optionalText(secretId, fields, "ssl_cert_path"));
  }

  private static Map<String, JsonNode> parseObject(String secretId, String secretString)
      throws SQLException {
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

  private static String requiredText(String secretId, Map<String, JsonNode> fields, String key)
      throws SQLException {
    String value = optionalText(secretId, fields, key);
    if (value == null) {
      throw malformed(secretId, "the key '" + key + "' is missing or empty");
    }
    return value;
  }

  private static String optionalText(String secretId, Map<String, JsonNode> fields, String key)
      throws SQLException {
    JsonNode node = fields.get(key);
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isString()) {
      throw malformed(secretId, "the key '" + key + "' must be a string");
    }
    return node.asString().isEmpty() ? null : node.asString();
  }

  /** Written as it would be in a URL too: {@code [::1]} and {@code db.internal.} are accepted. */
  private static @Nullable String host(String secretId, Map<String, JsonNode> fields)
      throws SQLException {
    String host = optionalText(secretId, fields, "host");
    return host == null ? null : Endpoint.bareHost(host.trim());
  }

  /** A port may be a number or a numeric string, as RDS and hand-written secrets differ. */
  private static Integer optionalPort(String secretId, Map<String, JsonNode> fields)
      throws SQLException {
    JsonNode node = fields.get("port");
    if (node == null || node.isNull()) {
      return null;
    }
    String text = node.isNumber() ? node.asNumber() : node.isString() ? node.asString() : null;
    try {
      int port = Integer.parseInt(text == null ? "" : text.trim());
      if (port >= 1 && port <= 65535) {
        return port;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw malformed(secretId, "the key 'port' must be a number between 1 and 65535");
  }

  public static SQLException malformed(String secretId, String reason) {
    return new SQLException(
        "Secret '"
            + secretId
            + "' cannot be used: "
            + reason
            + ". It must be a JSON object with username, password, host, port and database"
            + " (ssl_cert_path optional).",
        SqlStates.CONNECTION_REJECTED);
  }
}
