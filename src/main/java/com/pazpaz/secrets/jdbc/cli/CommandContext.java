package com.pazpaz.secrets.jdbc.cli;

import java.io.PrintStream;
import java.time.Clock;
import java.util.function.Function;

/**
 * What a command sees of the world: where it prints, the system properties and environment
 * variables it resolves settings from, and the clock. Tests hand in their own.
 */
public record CommandContext(
    PrintStream out,
    PrintStream err,
    Function<String, String> systemProperties,
    Function<String, String> environment,
    Clock clock) {

  /** The process's streams, properties, environment and clock. */
  static CommandContext system() {
    return new CommandContext(
        System.out, System.err, System::getProperty, System::getenv, Clock.systemUTC());
  }
}
