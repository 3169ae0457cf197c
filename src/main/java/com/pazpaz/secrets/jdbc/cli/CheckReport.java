package com.pazpaz.secrets.jdbc.cli;

import java.io.PrintStream;
import java.util.List;

/**
 * The report of {@code verify}: one line per check with its status in front, what to do under each
 * warning and failure, then a result line. The exit code follows the worst status.
 *
 * <pre>
 *   ok    credentials  Secrets Manager secret 'app/db', version 3f2a..., stage AWSCURRENT, ...
 *   WARN  rotation     last rotated 2025-01-02, 123 days ago: more than 90 days
 *                      -> Rotate now: java -jar pazpaz-secrets-jdbc-all.jar rotate ...
 * </pre>
 */
public final class CheckReport {

  // Under the text column: "  " + status (4) + "  " + check (12) + " ".
  private static final String INDENT = " ".repeat(21);
  private static final int TEXT_WIDTH = TextBlock.WIDTH - INDENT.length();

  private final PrintStream out;
  private int warnings;
  private int failures;

  CheckReport(PrintStream out) {
    this.out = out;
  }

  void ok(String check, String detail) {
    line("ok", check, detail, List.of());
  }

  /** A fact that is neither good nor bad, e.g. no TLS where the environment allows it. */
  void info(String check, String detail) {
    line("--", check, detail, List.of());
  }

  void warn(String check, String detail, List<String> advice) {
    warnings++;
    line("WARN", check, detail, advice);
  }

  void fail(String check, String detail, List<String> advice) {
    failures++;
    line("FAIL", check, detail, advice);
  }

  /** Prints the result line and returns the exit code. */
  int finish() {
    out.println();
    if (failures > 0) {
      out.println(
          "Result: FAILED, "
              + count(failures, "check")
              + " failed"
              + (warnings > 0 ? ", " + count(warnings, "warning") : "")
              + ". (exit "
              + ExitCodes.FAILED
              + ")");
      return ExitCodes.FAILED;
    }
    if (warnings > 0) {
      out.println(
          "Result: the driver can connect, with "
              + count(warnings, "warning")
              + ". (exit "
              + ExitCodes.WARNINGS
              + ")");
      return ExitCodes.WARNINGS;
    }
    out.println("Result: OK, the driver can connect with this configuration. (exit 0)");
    return ExitCodes.OK;
  }

  private void line(String status, String check, String detail, List<String> advice) {
    List<String> lines = TextBlock.wrap(detail, TEXT_WIDTH);
    out.printf("  %-4s  %-12s %s%n", status, check, lines.get(0));
    lines.subList(1, lines.size()).forEach(more -> out.println(INDENT + more));
    for (String hint : advice) {
      List<String> hintLines = TextBlock.wrap(hint, TEXT_WIDTH - 3);
      out.println(INDENT + "-> " + hintLines.get(0));
      hintLines.subList(1, hintLines.size()).forEach(more -> out.println(INDENT + "   " + more));
    }
  }

  private static String count(int n, String noun) {
    return n + " " + noun + (n == 1 ? "" : "s");
  }
}
