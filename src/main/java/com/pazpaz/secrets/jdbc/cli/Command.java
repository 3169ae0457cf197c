package com.pazpaz.secrets.jdbc.cli;

import java.util.Set;

/** One command of {@link CommandLineTool}. */
public interface Command {

  /** The word that selects it, e.g. {@code verify}. */
  String name();

  /** One line for the list of commands. */
  String summary();

  /** The text of {@code COMMAND --help}. */
  String help();

  /** The options that take a value, without the leading dashes. */
  Set<String> optionNames();

  /** The options that take no value ({@code --name} alone), without the leading dashes. */
  default Set<String> flagNames() {
    return Set.of();
  }

  /** How many positional arguments the command takes. */
  int maxPositional();

  /**
   * Runs the command; returns its exit code ({@link ExitCodes}).
   *
   * @throws UsageException when the arguments are wrong
   */
  int run(Arguments arguments, CommandContext context) throws UsageException;
}
