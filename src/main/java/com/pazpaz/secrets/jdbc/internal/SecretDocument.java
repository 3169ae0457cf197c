package com.pazpaz.secrets.jdbc.internal;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.protocols.jsoncore.JsonNode;
import software.amazon.awssdk.protocols.jsoncore.JsonNodeVisitor;
import software.amazon.awssdk.protocols.jsoncore.JsonWriter;

/**
 * A secret's JSON object as a rotation rewrites it: the username and password change, every other
 * key ({@code engine}, {@code host}, {@code masterarn}, keys of other tools) is written back as it
 * was, in its order. {@link #toString()} shows the keys only.
 */
public final class SecretDocument {

  public static final String USERNAME = "username";
  public static final String PASSWORD = "password";

  private final String secretId;
  private final Map<String, JsonNode> fields;

  private SecretDocument(String secretId, Map<String, JsonNode> fields) {
    this.secretId = secretId;
    this.fields = fields;
  }

  /**
   * The secret version as a document of keys.
   *
   * @param secretString the version's {@code SecretString}; null for a binary secret
   * @throws MalformedSecretException naming the secret, never quoting its text, when it is not a
   *     JSON object with a username and a password
   */
  public static SecretDocument parse(String secretId, @Nullable String secretString)
      throws MalformedSecretException {
    SecretDocument document =
        new SecretDocument(
            secretId, new LinkedHashMap<>(SecretParser.parseObject(secretId, secretString)));
    document.credentials();
    return document;
  }

  /** The login and endpoint the driver would read from this document. */
  public DatabaseSecret credentials() throws MalformedSecretException {
    return SecretParser.credentials(secretId, fields);
  }

  public String username() throws MalformedSecretException {
    return credentials().username();
  }

  /** A string-valued key, or null when it is absent or not a string. */
  public @Nullable String text(String key) {
    JsonNode node = fields.get(key);
    return node != null && node.isString() && !node.asString().isBlank() ? node.asString() : null;
  }

  /** This document with another login; every other key stays as it is. */
  public SecretDocument withLogin(String username, String password) {
    Map<String, JsonNode> changed = new LinkedHashMap<>(fields);
    changed.put(USERNAME, JsonNode.parser().parse(quoted(username)));
    changed.put(PASSWORD, JsonNode.parser().parse(quoted(password)));
    return new SecretDocument(secretId, changed);
  }

  /** The JSON text for {@code SecretString}. */
  public String toJson() {
    JsonWriter writer = JsonWriter.create();
    writeObject(writer, fields);
    return new String(writer.getBytes(), StandardCharsets.UTF_8);
  }

  private static String quoted(String value) {
    JsonWriter writer = JsonWriter.create();
    writer.writeValue(value);
    return new String(writer.getBytes(), StandardCharsets.UTF_8);
  }

  private static void writeObject(JsonWriter writer, Map<String, JsonNode> object) {
    writer.writeStartObject();
    object.forEach(
        (name, value) -> {
          writer.writeFieldName(name);
          write(writer, value);
        });
    writer.writeEndObject();
  }

  private static void write(JsonWriter writer, JsonNode node) {
    node.visit(
        new JsonNodeVisitor<Void>() {
          @Override
          public Void visitNull() {
            writer.writeNull();
            return null;
          }

          @Override
          public Void visitBoolean(boolean value) {
            writer.writeValue(value);
            return null;
          }

          @Override
          public Void visitNumber(String number) {
            // As written, so that 5432 stays 5432 and not 5432.0.
            writer.writeNumber(number);
            return null;
          }

          @Override
          public Void visitString(String value) {
            writer.writeValue(value);
            return null;
          }

          @Override
          public Void visitArray(List<JsonNode> array) {
            writer.writeStartArray();
            array.forEach(element -> write(writer, element));
            writer.writeEndArray();
            return null;
          }

          @Override
          public Void visitObject(Map<String, JsonNode> object) {
            writeObject(writer, object);
            return null;
          }

          @Override
          public Void visitEmbeddedObject(Object embedded) {
            throw new IllegalStateException("a parsed JSON document has no embedded objects");
          }
        });
  }

  @Override
  public String toString() {
    return "SecretDocument[secret=" + secretId + ", keys=" + fields.keySet() + "]";
  }
}
