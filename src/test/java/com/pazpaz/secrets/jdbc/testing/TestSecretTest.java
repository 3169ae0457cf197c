package com.pazpaz.secrets.jdbc.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The secret shapes tests store are the JSON they claim, and never print the password. */
class TestSecretTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PASSWORD = "Test-Secret-Password-2291";

  private static JsonNode parse(TestSecret secret) throws Exception {
    return JSON.readTree(secret.json());
  }

  private static List<String> keys(TestSecret secret) throws Exception {
    return parse(secret).properties().stream().map(e -> e.getKey()).toList();
  }

  @Test
  void credentialsOnlyHasUsernameAndPasswordAndEscapesThem() throws Exception {
    JsonNode json = parse(TestSecret.credentialsOnly("app\"x", "pa\\ss\"word"));
    assertEquals("app\"x", json.get("username").asText());
    assertEquals("pa\\ss\"word", json.get("password").asText());
    assertEquals(2, json.size());
  }

  @Test
  void changesMakeNewSecretsAndLeaveTheOriginal() throws Exception {
    TestSecret original = TestSecret.credentialsOnly("app", PASSWORD);
    TestSecret alternating = original.alternatingWith("arn:master").withPassword("next");
    assertEquals(List.of("username", "password"), keys(original));
    assertEquals(PASSWORD, original.password());
    assertEquals("arn:master", parse(alternating).get("masterarn").asText());
    assertEquals("next", alternating.password());
  }

  @Test
  void keysCanBeRenamedRetypedDroppedAndAdded() throws Exception {
    TestSecret secret =
        TestSecret.credentialsOnly("app", PASSWORD)
            .with("port", 5432)
            .withDatabase("clinic")
            .withCaFile(Path.of("ca.pem"))
            .withDbnameInsteadOfDatabase()
            .withPortAsString()
            .without("username")
            .withJson("enabled", "true");
    JsonNode json = parse(secret);
    assertEquals("clinic", json.get("dbname").asText());
    assertFalse(json.has("database"));
    assertTrue(json.get("port").isTextual());
    assertEquals("5432", json.get("port").asText());
    assertEquals(Path.of("ca.pem").toAbsolutePath().toString(), json.get("ssl_cert_path").asText());
    assertFalse(json.has("username"));
    assertTrue(json.get("enabled").isBoolean());
    assertThrows(
        IllegalStateException.class,
        () -> TestSecret.credentialsOnly("app", PASSWORD).withPortAsString());
  }

  @Test
  void toStringShowsTheKeysButMasksThePassword() {
    String shown = TestSecret.credentialsOnly("app", PASSWORD).with("host", "db").toString();
    assertFalse(shown.contains(PASSWORD), shown);
    assertTrue(shown.contains("username=\"app\"") && shown.contains("host=\"db\""), shown);
    assertTrue(shown.contains("password=****"), shown);
  }
}
