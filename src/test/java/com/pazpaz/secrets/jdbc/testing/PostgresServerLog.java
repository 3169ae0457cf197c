package com.pazpaz.secrets.jdbc.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;

/**
 * The test server's log file, read the way an operator's log search reads it: a refused login is
 * one {@code FATAL} line naming the role. Every read first writes a marker through the server and
 * waits for it, so that lines the logging collector has not written yet are not missed.
 */
public final class PostgresServerLog {

  private static final Duration FLUSH_TIMEOUT = Duration.ofSeconds(15);

  private final Path file;
  private final TestPostgres server;

  PostgresServerLog(Path file, TestPostgres server) {
    this.file = file;
    this.server = server;
  }

  /** Where the log ends now; pass it to {@link #rejectedLogins} to count what follows. */
  public long mark() {
    return flushed().length();
  }

  /**
   * Logins PostgreSQL refused for the role since the mark: wrong password ({@code 28P01}) or a role
   * that may not log in ({@code 28000}).
   */
  public int rejectedLogins(String role, long since) {
    String tail = flushed().substring((int) since);
    String wrongPassword = "password authentication failed for user \"" + role + "\"";
    String noLogin = "role \"" + role + "\" is not permitted to log in";
    return (int)
        tail.lines().filter(line -> line.contains(wrongPassword) || line.contains(noLogin)).count();
  }

  /** The whole log, once a marker written now has reached the file. */
  private String flushed() {
    String marker = "test-log-mark-" + UUID.randomUUID();
    try (Connection admin = server.adminConnection();
        Statement statement = admin.createStatement()) {
      statement.execute("DO $$ BEGIN RAISE LOG '" + marker + "'; END $$");
    } catch (SQLException e) {
      throw new IllegalStateException("Could not write a marker to the server log", e);
    }
    long deadline = System.nanoTime() + FLUSH_TIMEOUT.toNanos();
    while (true) {
      String text = read();
      int at = text.indexOf(marker);
      if (at >= 0) {
        // Count up to the marker's line only, so concurrent lines after it wait for the next read.
        return text.substring(0, text.lastIndexOf('\n', at) + 1);
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("The server log " + file + " did not show " + marker);
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }

  private String read() {
    try {
      return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
