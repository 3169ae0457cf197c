package com.pazpaz.secrets.jdbc.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A benchmark JVM on one contender's class path: started with the same java as this one, the AWS
 * settings every contender shares, and no AWS variables from this environment. Its stderr goes to a
 * log file; its stdout is read for the {@code RESULT}, {@code STATUS}, {@code SQLSTATE}, {@code
 * FAILURE} and {@code CLASS} lines the bench mains print.
 */
final class ChildJvm implements AutoCloseable {

  private final Process process;
  private final BufferedReader stdout;
  private final Writer stdin;
  private final long startedNanos;
  private final List<String> lines = new ArrayList<>();
  private final String name;

  private ChildJvm(String name, Process process, long startedNanos) {
    this.name = name;
    this.process = process;
    this.startedNanos = startedNanos;
    this.stdout =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
  }

  /**
   * Starts {@code java [jvmOptions] -cp classPath mainClass args}.
   *
   * @param log where the child's stderr goes (appended)
   */
  static ChildJvm start(
      String name,
      List<String> jvmOptions,
      List<Path> classPath,
      String mainClass,
      List<String> args,
      Path log) {
    ProcessBuilder builder = new ProcessBuilder(command(jvmOptions, classPath, mainClass, args));
    builder.environment().keySet().removeIf(key -> key.startsWith("AWS_"));
    builder.environment().put("AWS_EC2_METADATA_DISABLED", "true");
    builder.redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()));
    try {
      long started = System.nanoTime();
      return new ChildJvm(name, builder.start(), started);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + name, e);
    }
  }

  /** The child's command line: this JVM's java, the options, the class path, main and args. */
  static List<String> command(
      List<String> jvmOptions, List<Path> classPath, String mainClass, List<String> args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.add("-cp");
    command.add(classPath.stream().map(Path::toString).collect(Collectors.joining(":")));
    command.add(mainClass);
    command.addAll(args);
    return command;
  }

  /**
   * A shell script that runs the child as {@link #start} would (no AWS variables), for profiling
   * one by hand while the bench's servers stay up ({@code -Dbench.parts=hold}); JVM options go in
   * {@code JVM_OPTS}.
   */
  static String script(List<String> command) {
    StringBuilder script = new StringBuilder("#!/bin/sh\n");
    script.append("for v in $(env | grep -o '^AWS_[A-Z_]*'); do unset \"$v\"; done\n");
    script.append("export AWS_EC2_METADATA_DISABLED=true\n");
    script.append("exec ").append(quoted(command.get(0))).append(" $JVM_OPTS");
    for (String part : command.subList(1, command.size())) {
      script.append(' ').append(quoted(part));
    }
    script.append(" \"$@\"\n");
    return script.toString();
  }

  private static String quoted(String part) {
    return "'" + part.replace("'", "'\\''") + "'";
  }

  /** Reads stdout to the end, waits for the exit, and fails unless it was 0. */
  ChildJvm finish(long timeoutSeconds) {
    try {
      for (String line = stdout.readLine(); line != null; line = stdout.readLine()) {
        lines.add(line);
      }
      if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException(name + " did not finish in " + timeoutSeconds + " s");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    if (process.exitValue() != 0) {
      throw new IllegalStateException(
          name + " exited with " + process.exitValue() + "; output: " + lines);
    }
    return this;
  }

  /** Milliseconds from start to exit; valid after {@link #finish}. */
  double wallMillis() {
    return (System.nanoTime() - startedNanos) / 1e6;
  }

  /** Sends one line on stdin and returns the next stdout line that starts with the prefix. */
  String ask(String command, String answerPrefix) {
    try {
      stdin.write(command + "\n");
      stdin.flush();
      return awaitLine(answerPrefix);
    } catch (IOException e) {
      throw new UncheckedIOException(name + " stopped answering", e);
    }
  }

  /** Waits for the next stdout line that starts with the prefix. */
  String awaitLine(String prefix) {
    try {
      for (String line = stdout.readLine(); line != null; line = stdout.readLine()) {
        lines.add(line);
        if (line.startsWith(prefix)) {
          return line;
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    throw new IllegalStateException(name + " ended before printing " + prefix + ": " + lines);
  }

  /** Key-value pairs of the last {@code RESULT} line. */
  Map<String, String> result() {
    for (int i = lines.size() - 1; i >= 0; i--) {
      if (lines.get(i).startsWith("RESULT ")) {
        return pairs(lines.get(i));
      }
    }
    throw new IllegalStateException(name + " printed no RESULT: " + lines);
  }

  /** Every {@code RESULT} line's pairs, in order. */
  List<Map<String, String>> results() {
    return lines.stream().filter(l -> l.startsWith("RESULT ")).map(ChildJvm::pairs).toList();
  }

  /** The text after the prefix on each line that has it. */
  List<String> linesStartingWith(String prefix) {
    return lines.stream()
        .filter(l -> l.startsWith(prefix))
        .map(l -> l.substring(prefix.length()))
        .toList();
  }

  static Map<String, String> pairs(String line) {
    Map<String, String> pairs = new LinkedHashMap<>();
    for (String token : line.split(" ")) {
      int equals = token.indexOf('=');
      if (equals > 0) {
        pairs.put(token.substring(0, equals), token.substring(equals + 1));
      }
    }
    return pairs;
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroyForcibly();
    }
  }
}
