package com.pazpaz.secrets.jdbc.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Test only: the JSON of a database secret, built key by key so that a test names the shape it
 * stores (single user, alternating users, a key missing, another CA...) instead of concatenating
 * strings. Immutable: every {@code with...} returns a new secret. {@link #toString()} masks the
 * password, so a secret in an assertion message does not trip the leak checks.
 */
public final class TestSecret {

  /** The database of {@link #singleUser}, the one the driver tests' roles log in to. */
  public static final String DATABASE = "clinic";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final ObjectNode keys;

  private TestSecret(ObjectNode keys) {
    this.keys = keys;
  }

  /**
   * What RDS stores for a single-user rotation, pointing at the JVM's {@link TestPostgres}:
   * username, password, host, port (a number), database {@value #DATABASE}, the test CA as {@code
   * ssl_cert_path} and engine postgres.
   */
  public static TestSecret singleUser(String username, String password) {
    TestPostgres postgres = TestPostgres.get();
    return credentialsOnly(username, password)
        .with(
            keys ->
                keys.put("host", postgres.host())
                    .put("port", postgres.port())
                    .put("database", DATABASE)
                    .put("ssl_cert_path", postgres.caCertificate().toString())
                    .put("engine", "postgres"));
  }

  /**
   * Username and password only: an RDS-managed master secret, or a secret for the host form of the
   * URL, which gives the endpoint itself.
   */
  public static TestSecret credentialsOnly(String username, String password) {
    return new TestSecret(
        JSON.createObjectNode().put("username", username).put("password", password));
  }

  /**
   * A secret for the alternating-users strategy: this one with {@code masterarn}, the ARN of the
   * secret of a login that may change the role's password and create its clone.
   */
  public TestSecret alternatingWith(String masterArn) {
    return with("masterarn", masterArn);
  }

  public TestSecret withUsername(String username) {
    return with("username", username);
  }

  /** The same secret with another password, e.g. the next version of a rotation. */
  public TestSecret withPassword(String password) {
    return with("password", password);
  }

  public TestSecret withDatabase(String database) {
    return with("database", database);
  }

  /** {@code ssl_cert_path}: the CA file the driver verifies the server's certificate with. */
  public TestSecret withCaFile(Path caFile) {
    return withCaFile(caFile.toAbsolutePath().toString());
  }

  /** {@code ssl_cert_path} as written, e.g. a path that does not exist. */
  public TestSecret withCaFile(String caFile) {
    return with("ssl_cert_path", caFile);
  }

  /** The database under {@code dbname}, as RDS names it in some secrets, not {@code database}. */
  public TestSecret withDbnameInsteadOfDatabase() {
    JsonNode database = keys.get("database");
    if (database == null) {
      throw new IllegalStateException("this secret has no database key: " + this);
    }
    return with(
        copy -> {
          copy.remove("database");
          return copy.set("dbname", database);
        });
  }

  /** The port as a JSON string ({@code "5432"}) rather than a number, as some tools store it. */
  public TestSecret withPortAsString() {
    JsonNode port = keys.get("port");
    if (port == null) {
      throw new IllegalStateException("this secret has no port key: " + this);
    }
    return with("port", port.asText());
  }

  /** This secret without the key, e.g. to see what the driver says when it is missing. */
  public TestSecret without(String key) {
    return with(copy -> copy.without(key));
  }

  /** Any other key, e.g. one the driver ignores and a rotation must keep. */
  public TestSecret with(String key, String value) {
    return with(copy -> copy.put(key, value));
  }

  public TestSecret with(String key, int value) {
    return with(copy -> copy.put(key, value));
  }

  /** A key with a JSON value of any type (a boolean, an object...), given as JSON text. */
  public TestSecret withJson(String key, String json) {
    try {
      JsonNode value = JSON.readTree(json);
      return with(copy -> copy.set(key, value));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not JSON: " + json, e);
    }
  }

  public String username() {
    return keys.path("username").asText(null);
  }

  public String password() {
    return keys.path("password").asText(null);
  }

  /** The secret's text, as it is stored in SecretString. */
  public String json() {
    return keys.toString();
  }

  /** The keys, with the password's value masked. */
  @Override
  public String toString() {
    List<String> shown = new ArrayList<>();
    for (Map.Entry<String, JsonNode> key : keys.properties()) {
      shown.add(key.getKey() + "=" + (key.getKey().equals("password") ? "****" : key.getValue()));
    }
    return "TestSecret" + shown;
  }

  private TestSecret with(UnaryOperator<ObjectNode> change) {
    return new TestSecret(change.apply(keys.deepCopy()));
  }
}
