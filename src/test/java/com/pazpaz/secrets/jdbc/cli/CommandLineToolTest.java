package com.pazpaz.secrets.jdbc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The command line's usage, help and exit codes for wrong command lines. */
class CommandLineToolTest {

  @Test
  void noCommandPrintsTheUsageAsAUsageError() {
    ToolRunner.Result result = ToolRunner.run();
    assertEquals(2, result.exitCode());
    assertTrue(result.err().contains("Usage: java -jar pazpaz-secrets-jdbc-"), result.err());
    for (String command : new String[] {"verify", "rotate", "generate-password"}) {
      assertTrue(result.err().contains(command), command);
    }
  }

  @Test
  void helpListsTheCommandsAndTheExitCodes() {
    for (String help : new String[] {"--help", "-h", "help"}) {
      ToolRunner.Result result = ToolRunner.run(help);
      assertEquals(0, result.exitCode(), help);
      assertTrue(result.out().contains("generate-password"), result.out());
      assertTrue(result.out().contains("Exit codes: 0 ok, 1"), result.out());
      assertTrue(result.out().contains("java -cp"), "the class-path alternative");
    }
  }

  @Test
  void everyCommandHasHelp() {
    for (String command : new String[] {"verify", "rotate", "generate-password"}) {
      ToolRunner.Result result = ToolRunner.run(command, "--help");
      assertEquals(0, result.exitCode(), command);
      assertTrue(result.out().startsWith("Usage: " + command), result.out());
      assertTrue(result.out().contains("Exit codes:"), result.out());
      assertEquals(result.out(), ToolRunner.run("help", command).out());
    }
  }

  @Test
  void unknownCommandsAndOptionsAreUsageErrors() {
    assertEquals(2, ToolRunner.run("rotat").exitCode());
    assertTrue(ToolRunner.run("rotat").err().contains("Unknown command 'rotat'"));
    assertEquals(2, ToolRunner.run("verify", "--verbose").exitCode());
    assertEquals(2, ToolRunner.run("verify", "-x").exitCode());
    assertEquals(
        2, ToolRunner.run("verify", "jdbc:pazpaz-secrets:a", "jdbc:pazpaz-secrets:b").exitCode());
    assertEquals(2, ToolRunner.run("rotate", "--strategy", "both").exitCode());
    assertEquals(2, ToolRunner.run("rotate", "--master-secret").exitCode());
    assertEquals(
        2, ToolRunner.run("rotate", "--strategy", "single", "--strategy=single").exitCode());
  }

  @Test
  void aUrlOfAnotherDriverIsAUsageError() {
    ToolRunner.Result result = ToolRunner.run("verify", "jdbc:postgresql://localhost/db");
    assertEquals(2, result.exitCode());
    assertTrue(result.err().contains("must start with jdbc:pazpaz-secrets:"), result.err());
    assertEquals(2, ToolRunner.run("rotate", "postgresql://localhost/db").exitCode());
  }
}
