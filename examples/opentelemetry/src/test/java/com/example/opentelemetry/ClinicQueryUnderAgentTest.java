package com.example.opentelemetry;

import static com.pazpaz.secrets.jdbc.testing.EmbeddedDeployment.DATABASE;
import static com.pazpaz.secrets.jdbc.testing.EmbeddedDeployment.ROLE;
import static java.util.stream.Collectors.joining;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.pazpaz.secrets.jdbc.testing.EmbeddedDeployment;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Runs {@link ClinicQuery} in a child JVM under the real OpenTelemetry Java agent, with its spans
 * printed by the agent's logging exporter, and reads the spans of the two pools' {@code SELECT}.
 */
class ClinicQueryUnderAgentTest {

  private static final String DATA_SOURCE_SELECT = "SELECT current_database() AS clinic";
  private static final String JDBC_URL_SELECT = "SELECT current_database() AS clinic_by_url";
  private static final long TIMEOUT_SECONDS = 120;

  private static EmbeddedDeployment deployment;
  private static Path log;
  private static String output;
  private static List<LoggedSpan> spans;

  @BeforeAll
  static void runTheApplicationUnderTheAgent() throws Exception {
    deployment = EmbeddedDeployment.start();
    log = Path.of("target", "clinic-query-under-agent.log");
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-javaagent:" + requiredPath("opentelemetry.javaagent"));
    command.addAll(
        List.of(
            "-Dotel.service.name=clinic-query",
            "-Dotel.traces.exporter=logging",
            "-Dotel.metrics.exporter=none",
            "-Dotel.logs.exporter=none",
            // The local endpoint ignores credentials, but the SDK wants some.
            "-Daws.accessKeyId=test",
            "-Daws.secretAccessKey=test",
            "-Daws.disableEc2Metadata=true"));
    command.addAll(deployment.systemPropertyOptions());
    command.addAll(List.of("-cp", applicationClassPath(), ClinicQuery.class.getName(), "jdbc-url"));
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    // Nothing from this shell's environment configures the agent, the SDK or the driver.
    builder
        .environment()
        .keySet()
        .removeIf(
            name ->
                name.startsWith("OTEL_")
                    || name.startsWith("AWS_")
                    || List.of("ENVIRONMENT", "DATABASE_URL", "DB_SECRETS_MANAGER_KEY_NAME")
                        .contains(name));
    Process child = builder.start();
    if (!child.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      child.destroyForcibly();
      fail("the child JVM did not finish in " + TIMEOUT_SECONDS + " s; see " + log);
    }
    output = Files.readString(log);
    assertEquals(0, child.exitValue(), () -> "the child JVM failed:\n" + output);
    spans = LoggedSpan.in(output);
  }

  @AfterAll
  static void stopServers() {
    if (deployment != null) {
      deployment.close();
    }
  }

  @Test
  void theApplicationRanUnderTheAgentAndQueriedTheSecretsDatabase() {
    assertTrue(output.contains("opentelemetry-javaagent - version: 2.33.1"), output);
    assertTrue(output.contains("data source: database " + DATABASE), output);
    assertTrue(output.contains("jdbc url: database " + DATABASE), output);
  }

  @Test
  void poolOverTheDataSourceGetsSpansWithTheRealDatabaseHostAndPort() {
    LoggedSpan select = onlySpanOf(DATA_SOURCE_SELECT);
    assertAll(
        select.toString(),
        () -> assertEquals("postgresql", select.attribute("db.system")),
        () -> assertEquals(DATABASE, select.databaseName()),
        () -> assertEquals(deployment.postgres().host(), select.attribute("server.address")),
        () ->
            assertEquals(
                String.valueOf(deployment.postgres().port()), select.attribute("server.port")),
        () -> assertEquals(ROLE, select.attribute("db.user")),
        () -> assertEquals("SELECT " + DATABASE, select.name()));
  }

  /**
   * The limitation the README describes: the agent tags the connection with our URL, which its
   * parser does not know.
   */
  @Test
  void poolOverTheJdbcUrlGetsOtherSqlSpansWithoutDatabaseHostOrPort() {
    LoggedSpan select = onlySpanOf(JDBC_URL_SELECT);
    assertAll(
        select.toString(),
        () -> assertEquals("other_sql", select.attribute("db.system")),
        () -> assertEquals("pazpaz-secrets:", select.attribute("db.connection_string")),
        () -> assertNull(select.databaseName()),
        () -> assertNull(select.attribute("server.address")),
        () -> assertNull(select.attribute("server.port")));
  }

  @Test
  void theAgentAlsoTracesTheDriversSecretsManagerCalls() {
    assertTrue(
        spans.stream().anyMatch(span -> span.name().equals("SecretsManager.GetSecretValue")),
        ClinicQueryUnderAgentTest::allSpans);
  }

  @Test
  void theChildsOutputShowsNoPassword() {
    assertFalse(
        output.contains(deployment.password()),
        "the output of the application under the agent shows the database password; see " + log);
  }

  private static LoggedSpan onlySpanOf(String statement) {
    List<LoggedSpan> matching =
        spans.stream()
            .filter(span -> span.tracer().startsWith("io.opentelemetry.jdbc:"))
            .filter(span -> statement.equals(span.attribute("db.statement")))
            .toList();
    assertEquals(
        1, matching.size(), () -> "JDBC spans of \"" + statement + "\", among:\n" + allSpans());
    return matching.get(0);
  }

  private static String allSpans() {
    return spans.stream().map(LoggedSpan::toString).collect(joining("\n"));
  }

  /** This project's classes and its runtime dependencies: no test-jar, no embedded server. */
  private static String applicationClassPath() throws Exception {
    String dependencies = Files.readString(requiredPath("application.runtime-classpath")).strip();
    return requiredPath("application.classes") + File.pathSeparator + dependencies;
  }

  private static Path requiredPath(String property) {
    String value = System.getProperty(property);
    if (value == null) {
      throw new IllegalStateException("system property " + property + " not set (see pom.xml)");
    }
    return Path.of(value);
  }
}
