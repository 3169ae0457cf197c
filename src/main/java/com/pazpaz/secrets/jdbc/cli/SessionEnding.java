package com.pazpaz.secrets.jdbc.cli;

import com.pazpaz.secrets.jdbc.internal.DatabaseSecret;
import com.pazpaz.secrets.jdbc.internal.SecretLocation;
import com.pazpaz.secrets.jdbc.rotation.DatabaseLogins;
import com.pazpaz.secrets.jdbc.rotation.SecretVersion;
import com.pazpaz.secrets.jdbc.rotation.SecretVersions;
import com.pazpaz.secrets.jdbc.rotation.SessionTerminator;
import java.io.PrintStream;
import java.sql.SQLException;

/**
 * {@code rotate --end-sessions}, after a finished rotation: ends the sessions that the new {@code
 * AWSCURRENT} user (and, with alternating users, the {@code AWSPREVIOUS} one) opened before, each
 * with its own login, and prints how many. The rotation itself stays done whatever happens here.
 */
final class SessionEnding {

  static final String FLAG = "end-sessions";

  private SessionEnding() {}

  /** Returns the exit code of the whole command. */
  static int run(DatabaseLogins logins, SecretVersions versions, CommandContext context) {
    PrintStream out = context.out();
    SessionTerminator terminator = new SessionTerminator(logins);
    try {
      DatabaseSecret current = versions.current().document().credentials();
      long notEnded = report(out, terminator.endSessionsOpenedBefore(current));
      SecretVersion previous = versions.read(SecretLocation.PREVIOUS);
      if (previous != null && !previous.document().username().equals(current.username())) {
        // Alternating users: the previous user keeps its password, and its own login ends its
        // sessions too.
        DatabaseSecret before = previous.document().credentials();
        notEnded += report(out, terminator.endSessionsOpenedBefore(before));
        TextBlock.wrap(
                "User "
                    + before.username()
                    + " (AWSPREVIOUS) still has its password: an alternating rotation leaves the"
                    + " previous user's password as it was. Run rotate --strategy alternating"
                    + " --end-sessions once more to change it.",
                TextBlock.WIDTH)
            .forEach(out::println);
      }
      return notEnded > 0 ? ExitCodes.FAILED : ExitCodes.OK;
    } catch (SQLException e) {
      PrintStream err = context.err();
      err.println();
      err.println("Rotated, but the old sessions were not ended:");
      TextBlock.wrap(String.valueOf(e.getMessage()), TextBlock.WIDTH - 2)
          .forEach(line -> err.println("  " + line));
      err.println("  Once fixed, run rotate --end-sessions again (it rotates once more).");
      return ExitCodes.FAILED;
    }
  }

  /** Prints what was ended; returns how many sessions did not end. */
  private static long report(PrintStream out, SessionTerminator.EndedSessions result) {
    out.println();
    TextBlock.wrap(
            "Ended "
                + result.ended()
                + " session(s) of role "
                + result.role()
                + " opened before the rotation (pg_terminate_backend, as "
                + result.role()
                + "); sessions of other roles were not touched. Pools reconnect through the"
                + " driver with the new password.",
            TextBlock.WIDTH)
        .forEach(out::println);
    if (result.notEnded() > 0) {
      out.println(
          "  "
              + result.notEnded()
              + " more did not end within 5 s: check pg_stat_activity and run rotate"
              + " --end-sessions again.");
    }
    return result.notEnded();
  }
}
