package com.example.opentelemetry;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A span as the agent's logging exporter ({@code -Dotel.traces.exporter=logging}) prints it, one
 * line each:
 *
 * <pre>
 * ... LoggingSpanExporter - 'SELECT clinic' : TRACE SPAN CLIENT [tracer: io.opentelemetry.jdbc:2.33.1-alpha]
 *     AttributesMap{data={db.name=clinic, db.system=postgresql, ...}, capacity=128, totalAddedValues=10}
 * </pre>
 */
record LoggedSpan(String name, String tracer, Map<String, String> attributes) {

  private static final Pattern LINE =
      Pattern.compile(
          "LoggingSpanExporter - '(?<name>.*)' : \\p{XDigit}+ \\p{XDigit}+ \\w+"
              + " \\[tracer: (?<tracer>[^\\]]+)\\] AttributesMap\\{data=\\{(?<data>.*)\\},"
              + " capacity=\\d+, totalAddedValues=\\d+\\}");

  /** Splits {@code key=value, key=value}: at each ", " followed by the next key's "name=". */
  private static final Pattern NEXT_KEY = Pattern.compile(", (?=[a-z][a-z0-9_.]*=)");

  /** The spans among the lines of a program's output. */
  static List<LoggedSpan> in(String output) {
    return output.lines().map(LoggedSpan::parse).flatMap(Optional::stream).toList();
  }

  static Optional<LoggedSpan> parse(String line) {
    Matcher matcher = LINE.matcher(line);
    if (!matcher.find()) {
      return Optional.empty();
    }
    Map<String, String> attributes = new LinkedHashMap<>();
    for (String pair : NEXT_KEY.split(matcher.group("data"))) {
      int equals = pair.indexOf('=');
      attributes.put(pair.substring(0, equals), pair.substring(equals + 1));
    }
    return Optional.of(new LoggedSpan(matcher.group("name"), matcher.group("tracer"), attributes));
  }

  String attribute(String key) {
    return attributes.get(key);
  }

  /** The database's name: {@code db.namespace} in the stable conventions, else {@code db.name}. */
  String databaseName() {
    return attributes.getOrDefault("db.namespace", attributes.get("db.name"));
  }
}
