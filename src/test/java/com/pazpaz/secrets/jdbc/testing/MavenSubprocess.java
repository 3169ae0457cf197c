package com.pazpaz.secrets.jdbc.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a Maven goal on the current project in a separate Maven build, as a user would type it: the
 * same Maven, JDK and local repository as the build running the test, this build's driver version,
 * and AWS credentials that the local endpoint ignores (the SDK wants some). For the examples' tests
 * of Maven plugins such as {@code flyway:migrate}.
 */
public final class MavenSubprocess {

  private static final long TIMEOUT_MINUTES = 5;

  /** The exit value and everything Maven printed. */
  public record Result(int exitValue, String output) {

    /** The last 40 lines, for a failure message. */
    public String tail() {
      List<String> lines = output.lines().toList();
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }
  }

  private MavenSubprocess() {}

  /**
   * @param goal such as {@code flyway:migrate}
   * @param log where Maven's output goes, kept for reading after a failure
   * @param options more {@code -D} options
   */
  public static Result run(String goal, Path log, List<String> options)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    String pom = Path.of("pom.xml").toAbsolutePath().toString();
    command.addAll(List.of(mavenExecutable(), "-B", "-ntp", "-f", pom, goal));
    command.add("-Dmaven.repo.local=" + System.getProperty("maven.repo.local"));
    command.add(
        "-Dpazpaz-secrets-jdbc.version=" + System.getProperty("pazpaz-secrets-jdbc.version"));
    command.addAll(
        List.of(
            "-Daws.accessKeyId=test",
            "-Daws.secretAccessKey=test",
            "-Daws.disableEc2Metadata=true"));
    command.addAll(options);
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
    Process maven = builder.start();
    if (!maven.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
      maven.destroyForcibly();
      throw new IllegalStateException(
          "mvn " + goal + " did not finish in " + TIMEOUT_MINUTES + " minutes; see " + log);
    }
    return new Result(maven.exitValue(), Files.readString(log));
  }

  private static String mavenExecutable() {
    String name = System.getProperty("os.name").startsWith("Windows") ? "mvn.cmd" : "mvn";
    return Path.of(System.getProperty("maven.home"), "bin", name).toString();
  }
}
