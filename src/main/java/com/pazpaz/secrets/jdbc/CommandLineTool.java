package com.pazpaz.secrets.jdbc;

/**
 * The operator tools under the class name that {@code java -cp ...
 * com.pazpaz.secrets.jdbc.CommandLineTool} scripts use; it forwards to {@link
 * com.pazpaz.secrets.jdbc.cli.CommandLineTool}.
 */
public final class CommandLineTool {

  private CommandLineTool() {}

  public static void main(String[] args) {
    com.pazpaz.secrets.jdbc.cli.CommandLineTool.main(args);
  }
}
