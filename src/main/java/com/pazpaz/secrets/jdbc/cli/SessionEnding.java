package com.pazpaz.secrets.jdbc.cli;

import com.pazpaz.secrets.jdbc.internal.SecretDocument;
import com.pazpaz.secrets.jdbc.rotation.DatabaseLogins;
import com.pazpaz.secrets.jdbc.rotation.SecretVersion;
import com.pazpaz.secrets.jdbc.rotation.SecretVersions;
import com.pazpaz.secrets.jdbc.rotation.SessionTerminator;
import java.io.PrintStream;
import java.sql.SQLException;

/**
 * {@code rotate --end-sessions}, after a finished rotation: ends the sessions of the role whose
 * password the rotation changed (the new {@code AWSCURRENT} user) that were opened before, and
 * prints how many. The rotation itself stays done whatever happens here.
 */
final class SessionEnding {

  static final String FLAG = "end-sessions";

  private SessionEnding() {}

  /** Returns the exit code of the whole command. */
  static int run(DatabaseLogins logins, SecretVersions versions, CommandContext context) {
    PrintStream out = context.out();
    try {
      SecretDocument current = versions.read(SecretVersions.CURRENT).document();
      SessionTerminator.EndedSessions result =
          new SessionTerminator(logins).endSessionsOpenedBefore(current.credentials());
      out.println();
      TextBlock.wrap(
              "Ended "
                  + result.ended()
                  + " session(s) of role "
                  + result.role()
                  + " opened before the rotation (pg_terminate_backend, as "
                  + result.role()
                  + " with its new password); sessions of other roles were not touched."
                  + " Pools reconnect through the driver with the new password.",
              TextBlock.WIDTH)
          .forEach(out::println);
      if (result.notEnded() > 0) {
        out.println(
            "  "
                + result.notEnded()
                + " more did not end within 5 s: check pg_stat_activity and run rotate"
                + " --end-sessions again.");
      }
      SecretVersion previous = versions.read(SecretVersions.PREVIOUS);
      if (previous != null && !previous.document().username().equals(result.role())) {
        TextBlock.wrap(
                "User "
                    + previous.document().username()
                    + " (AWSPREVIOUS) still has its password and its sessions: an alternating"
                    + " rotation leaves the previous user untouched. If that password may have"
                    + " leaked too, run rotate --strategy alternating --end-sessions once more.",
                TextBlock.WIDTH)
            .forEach(out::println);
      }
      return result.notEnded() > 0 ? ExitCodes.FAILED : ExitCodes.OK;
    } catch (SQLException e) {
      PrintStream err = context.err();
      err.println();
      err.println("Rotated, but the old sessions were not ended:");
      TextBlock.wrap(e.getMessage(), TextBlock.WIDTH - 2).forEach(line -> err.println("  " + line));
      err.println("  Once fixed, run rotate --end-sessions again (it rotates once more).");
      return ExitCodes.FAILED;
    }
  }
}
