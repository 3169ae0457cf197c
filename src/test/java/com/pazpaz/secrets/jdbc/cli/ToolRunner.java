package com.pazpaz.secrets.jdbc.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;

import com.pazpaz.secrets.jdbc.DriverTestSupport;
import com.pazpaz.secrets.jdbc.rotation.PasswordGenerator;
import com.pazpaz.secrets.jdbc.rotation.RotationStep;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * Runs the command line in this JVM with captured standard output and error and the given
 * environment variables (none of the machine's), and checks that no password the tests know of
 * appears in what it printed.
 */
public final class ToolRunner {

  /** What one command line printed and returned. */
  public record Result(int exitCode, String out, String err) {
    String all() {
      return out + err;
    }

    @Override
    public String toString() {
      return "exit " + exitCode + "\n--- out\n" + out + "--- err\n" + err;
    }
  }

  private ToolRunner() {}

  public static Result run(String... args) {
    return run(CommandLineTool.standard(), Map.of(), args);
  }

  public static Result run(Map<String, String> environment, String... args) {
    return run(CommandLineTool.standard(), environment, args);
  }

  public static Result run(CommandLineTool tool, Map<String, String> environment, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exitCode;
    try (PrintStream outStream = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      CommandContext context =
          new CommandContext(
              outStream, errStream, System::getProperty, environment::get, Clock.systemUTC());
      exitCode = tool.run(args, context);
    }
    Result result =
        new Result(
            exitCode, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    assertNoPassword(result);
    return result;
  }

  /** A tool whose rotate stops after {@code step}, as if the process had been killed there. */
  public static CommandLineTool stoppingAfter(RotationStep stop) {
    PasswordGenerator passwords = new PasswordGenerator();
    return new CommandLineTool(
        List.of(
            new VerifyCommand(),
            new RotateCommand(
                passwords,
                step -> {
                  if (step == stop) {
                    throw new Killed(step);
                  }
                }),
            new GeneratePasswordCommand(passwords)));
  }

  /** The failure message does not quote the output, which would put the password in reports. */
  public static void assertNoPassword(Result result) {
    boolean leaked = DriverTestSupport.passwordsUsed().stream().anyMatch(result.all()::contains);
    assertFalse(leaked, "a password the tests know of appears in the command's output");
  }

  /** Stands for a process killed after a rotation step. */
  public static final class Killed extends RuntimeException {
    Killed(RotationStep step) {
      super("killed after " + step.eventName());
    }
  }
}
