package com.pazpaz.secrets.jdbc.cli;

import com.pazpaz.secrets.jdbc.internal.Logging;
import com.pazpaz.secrets.jdbc.rotation.PasswordGenerator;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.jspecify.annotations.Nullable;

/**
 * The operator tools of the drop-in jar: {@code java -jar pazpaz-secrets-jdbc-<version>-all.jar
 * COMMAND [ARGS]}, with {@code verify}, {@code rotate} and {@code generate-password}. Reports go to
 * standard output, errors to standard error; the exit codes are {@link ExitCodes}.
 */
public final class CommandLineTool {

  private static final String JAR = "pazpaz-secrets-jdbc-<version>-all.jar";

  // Held so that the level set in main() stays: JUL keeps loggers weakly.
  private static @Nullable Logger quietDriverLogger;

  private final Map<String, Command> commands = new LinkedHashMap<>();

  CommandLineTool(List<Command> commands) {
    commands.forEach(command -> this.commands.put(command.name(), command));
  }

  /** verify, rotate and generate-password. */
  static CommandLineTool standard() {
    PasswordGenerator passwords = new PasswordGenerator();
    return new CommandLineTool(
        List.of(
            new VerifyCommand(),
            new RotateCommand(passwords),
            new GeneratePasswordCommand(passwords)));
  }

  public static void main(String[] args) {
    // The reports say what the driver's log lines would (and the SDK's, relocated under this
    // name in the drop-in jar): keep them from interleaving with the report.
    quietDriverLogger = Logger.getLogger(Logging.LOGGER_NAME);
    quietDriverLogger.setLevel(Level.OFF);
    System.exit(standard().run(args, CommandContext.system()));
  }

  /** Runs one command line; returns the exit code. */
  int run(String[] args, CommandContext context) {
    if (args.length == 0) {
      usage(context.err());
      return ExitCodes.USAGE;
    }
    String name = args[0];
    if (name.equals("--help") || name.equals("-h") || name.equals("help")) {
      if (args.length > 1 && commands.containsKey(args[1])) {
        context.out().print(commands.get(args[1]).help());
      } else {
        usage(context.out());
      }
      return ExitCodes.OK;
    }
    Command command = commands.get(name);
    if (command == null) {
      context.err().println("Unknown command '" + name + "'.");
      usage(context.err());
      return ExitCodes.USAGE;
    }
    try {
      Arguments arguments =
          Arguments.parse(
              Arrays.asList(args).subList(1, args.length),
              command.optionNames(),
              command.flagNames(),
              command.maxPositional());
      if (arguments.help()) {
        context.out().print(command.help());
        return ExitCodes.OK;
      }
      return command.run(arguments, context);
    } catch (UsageException e) {
      context.err().println(command.name() + ": " + e.getMessage());
      context.err().println("Run '" + command.name() + " --help' for its usage.");
      return ExitCodes.USAGE;
    }
  }

  private void usage(PrintStream stream) {
    stream.println("Usage: java -jar " + JAR + " COMMAND [ARGS]");
    stream.println();
    stream.println("Commands:");
    commands.values().forEach(c -> stream.printf("  %-18s %s%n", c.name(), c.summary()));
    stream.println();
    stream.println("COMMAND --help shows a command's usage.");
    stream.println();
    stream.println(
        "pgjdbc must be on the class path: java -jar finds it beside this jar under the");
    stream.println("name in the manifest's Class-Path (postgresql-VERSION.jar); otherwise run");
    stream.println(
        "  java -cp " + JAR + ":postgresql.jar " + CommandLineTool.class.getName() + " COMMAND");
    stream.println();
    stream.println(
        "Exit codes: 0 ok, 1 a check or step failed, 2 usage error, 3 verify passed with");
    stream.println("warnings.");
  }
}
