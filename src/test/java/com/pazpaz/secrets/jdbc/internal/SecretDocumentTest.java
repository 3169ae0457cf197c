package com.pazpaz.secrets.jdbc.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A rotation rewrites the login of a secret and keeps every other key. */
class SecretDocumentTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void rewritingTheLoginKeepsEveryOtherKeyAsItWas() throws Exception {
    String original =
        "{\"engine\":\"postgres\",\"host\":\"db.internal\",\"port\":5432,\"username\":\"app\","
            + "\"password\":\"old-Password-1\",\"dbname\":\"clinic\",\"ratio\":2.5e3,"
            + "\"tags\":[\"a\",{\"b\":null}],\"nested\":{\"on\":true},"
            + "\"quote\":\"say \\\"hi\\\"\\n\\u00e9\","
            + "\"masterarn\":\"arn:aws:secretsmanager:us-east-1:1:secret:master-AbCdEf\"}";
    SecretDocument document = SecretDocument.parse("s", original);
    SecretDocument rotated = document.withLogin("app_clone", "new-Password-2");

    JsonNode before = JSON.readTree(original);
    JsonNode after = JSON.readTree(rotated.toJson());
    assertEquals("app_clone", after.get("username").asText());
    assertEquals("new-Password-2", after.get("password").asText());
    assertEquals(fieldNames(before), fieldNames(after), "same keys in the same order");
    for (String key : fieldNames(before)) {
      if (!key.equals("username") && !key.equals("password")) {
        assertEquals(before.get(key), after.get(key), key);
      }
    }
    assertTrue(rotated.toJson().contains("\"port\":5432"), "a number stays as written");
    assertEquals("app", document.username(), "the original is unchanged");
    assertEquals(
        "arn:aws:secretsmanager:us-east-1:1:secret:master-AbCdEf", rotated.text("masterarn"));
  }

  @Test
  void toStringShowsKeysOnly() throws Exception {
    SecretDocument document =
        SecretDocument.parse("s", "{\"username\":\"u\",\"password\":\"Do-Not-Show-9\"}");
    assertFalse(document.toString().contains("Do-Not-Show"), document.toString());
    assertTrue(document.toString().contains("password"), document.toString());
  }

  @Test
  void aDocumentWithoutLoginIsRefusedWithoutQuotingIt() {
    SQLException missing =
        assertThrows(
            SQLException.class,
            () -> SecretDocument.parse("s", "{\"username\":\"u\",\"pass\":\"hunter2-secret\"}"));
    assertTrue(missing.getMessage().contains("'password'"), missing.getMessage());
    assertFalse(missing.getMessage().contains("hunter2"), missing.getMessage());
    SQLException broken =
        assertThrows(
            SQLException.class, () -> SecretDocument.parse("s", "{\"password\":\"hunter2-secret"));
    assertFalse(broken.getMessage().contains("hunter2"), broken.getMessage());
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
