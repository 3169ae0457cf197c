package com.pazpaz.secrets.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverPropertyInfo;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * README's configuration table, getPropertyInfo and the parser all follow {@link ConfigKey}: this
 * keeps the documentation from drifting.
 */
class ConfigurationDocsTest {

  /** Rows of the table under "## Configuration keys": key -> its cells. */
  private static Map<String, List<String>> readmeTable() throws IOException {
    String readme = Files.readString(Path.of("README.md"));
    String section = readme.substring(readme.indexOf("## Configuration keys"));
    section = section.substring(0, section.indexOf("\n## ", 3));
    Map<String, List<String>> rows = new LinkedHashMap<>();
    for (String line : section.split("\n")) {
      if (line.startsWith("| `")) {
        List<String> cells =
            Arrays.stream(line.substring(1, line.length() - 1).split("\\|"))
                .map(String::trim)
                .toList();
        rows.put(cells.get(0).replace("`", ""), cells);
      }
    }
    return rows;
  }

  @Test
  void readmeTableListsEveryKeyWithItsEnvironmentVariableAndDefault() throws IOException {
    Map<String, List<String>> rows = readmeTable();
    assertEquals(ConfigKey.keys(), List.copyOf(rows.keySet()));
    for (ConfigKey key : ConfigKey.values()) {
      List<String> cells = rows.get(key.key());
      String envVar = key.envVar() == null ? "" : "`" + key.envVar() + "`";
      assertEquals(envVar, cells.get(1), key.key() + " env var");
      if (key.defaultValue() != null) {
        assertTrue(
            cells.get(2).contains("`" + key.defaultValue() + "`"),
            key.key() + " default: " + cells);
      }
    }
  }

  @Test
  void propertyInfoDescribesEveryKeyFromTheSameTable() throws SQLException {
    DriverPropertyInfo[] info =
        new PazPazSecretsDriver().getPropertyInfo("jdbc:pazpaz-secrets:", null);
    assertEquals(ConfigKey.values().length, info.length);
    for (int i = 0; i < info.length; i++) {
      ConfigKey key = ConfigKey.values()[i];
      assertEquals(key.key(), info[i].name);
      assertTrue(info[i].description.startsWith(key.description()), info[i].description);
      if (key.envVar() != null) {
        assertTrue(info[i].description.contains(key.envVar()), info[i].description);
      }
    }
  }
}
