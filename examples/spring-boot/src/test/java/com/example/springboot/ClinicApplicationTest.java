package com.example.springboot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.pazpaz.secrets.jdbc.testing.EmbeddedDeployment;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.jdbc.core.simple.JdbcClient;

@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class ClinicApplicationTest {

  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final ObjectMapper JSON = new ObjectMapper();

  // Started before the application context, which connects at start-up to run Flyway, and left
  // running: the context lives until the JVM exits, and its pool keeps opening connections.
  private static EmbeddedDeployment deployment;

  // Boot sets it for a RANDOM_PORT test (@LocalServerPort moved between Boot 3 and 4).
  @Value("${local.server.port}")
  private int port;

  @Autowired private DataSource dataSource;
  @Autowired private JdbcClient jdbc;
  @Autowired private PatientRepository patients;

  @BeforeAll
  static void startServers() {
    deployment = EmbeddedDeployment.start().useInThisJvm();
  }

  @Test
  void startsWithTheUrlAloneMigratesWithFlywayAndServes() throws Exception {
    assertEquals(
        EmbeddedDeployment.ROLE, jdbc.sql("SELECT current_user").query(String.class).single());
    assertEquals(
        1,
        jdbc.sql("SELECT count(*) FROM flyway_schema_history WHERE version = '1' AND success")
            .query(Integer.class)
            .single());
    long before = get("/patients/count").get("count").asLong();
    JsonNode added = send(HttpRequest.newBuilder(uri("/patients?name=Ada")).POST(noBody()));
    assertEquals(before + 1, added.get("count").asLong());
  }

  @Test
  void showsTheDriversMetersAtTheActuator() throws Exception {
    patients.count(); // at least one connect has read the secret

    JsonNode fetches = get("/actuator/metrics/pazpaz.secrets.fetches");
    assertTrue(fetches.at("/measurements/0/value").asDouble() >= 1, fetches.toString());
    assertEquals(
        EmbeddedDeployment.SECRET, tagValue(fetches, "secret"), "tagged with the secret id");
    assertEquals("AWSCURRENT", tagValue(fetches, "stage"));

    JsonNode age = get("/actuator/metrics/pazpaz.secrets.version.age");
    assertEquals("days", age.get("baseUnit").asText());
    double days = age.at("/measurements/0/value").asDouble();
    assertTrue(days >= 0 && days < 1, "the secret was created just now: " + age);
  }

  @Test
  void keepsWorkingThroughAPasswordRotation() {
    HikariDataSource pool = assertInstanceOf(HikariDataSource.class, dataSource);
    patients.add("before the rotation");
    int reads = deployment.secretsManager().calls("GetSecretValue");

    deployment.rotatePassword();
    // New connections now log in with the cached, stale password: the driver re-reads the secret.
    pool.getHikariPoolMXBean().softEvictConnections();

    for (int i = 0; i < 20; i++) {
      long before = patients.count();
      patients.add("after the rotation " + i);
      assertEquals(before + 1, patients.count());
    }
    assertTrue(
        deployment.secretsManager().calls("GetSecretValue") > reads,
        "the driver re-read the secret");
  }

  private static String tagValue(JsonNode metric, String tag) {
    for (JsonNode available : metric.get("availableTags")) {
      if (tag.equals(available.get("tag").asText())) {
        return available.get("values").get(0).asText();
      }
    }
    return null;
  }

  private JsonNode get(String path) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(uri(path)).GET());
  }

  private static JsonNode send(HttpRequest.Builder request)
      throws IOException, InterruptedException {
    HttpResponse<String> response =
        HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, response.statusCode(), response.body());
    return JSON.readTree(response.body());
  }

  private URI uri(String path) {
    return URI.create("http://localhost:" + port + path);
  }

  private static HttpRequest.BodyPublisher noBody() {
    return HttpRequest.BodyPublishers.noBody();
  }
}
