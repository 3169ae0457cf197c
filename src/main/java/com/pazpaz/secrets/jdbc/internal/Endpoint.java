package com.pazpaz.secrets.jdbc.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.sql.SQLException;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/** Where PostgreSQL listens: host, port and database. */
public record Endpoint(String host, int port, String database) {

  public static final int DEFAULT_PORT = 5432;

  /** The port rule every source of an endpoint states in its error message. */
  public static final String PORT_RANGE = "a number between 1 and 65535";

  /**
   * Parses {@code HOST[:PORT]/DATABASE}, with IPv6 hosts in brackets. Error messages never quote
   * the input, which may be part of a URL that holds a password.
   *
   * @param malformed turns a reason into the caller's exception
   */
  public static Endpoint parse(String authorityAndPath, Function<String, SQLException> malformed)
      throws SQLException {
    int slash = authorityAndPath.indexOf('/');
    if (slash < 0 || slash == authorityAndPath.length() - 1) {
      throw malformed.apply("a database name is needed after HOST[:PORT]/");
    }
    String authority = authorityAndPath.substring(0, slash);
    String database = UrlText.decode(authorityAndPath.substring(slash + 1));
    if (database == null) {
      throw malformed.apply("the database name has an invalid percent-encoding");
    }
    String host;
    String port = null;
    if (authority.startsWith("[")) {
      int close = authority.indexOf(']');
      if (close < 0) {
        throw malformed.apply("an IPv6 host must be closed with ']'");
      }
      host = authority.substring(1, close);
      String afterHost = authority.substring(close + 1);
      if (afterHost.startsWith(":")) {
        port = afterHost.substring(1);
      } else if (!afterHost.isEmpty()) {
        throw malformed.apply("unexpected text after the IPv6 host");
      }
    } else {
      int colon = authority.lastIndexOf(':');
      host = colon < 0 ? authority : authority.substring(0, colon);
      port = colon < 0 ? null : authority.substring(colon + 1);
    }
    host = bareHost(host);
    if (host.isEmpty()) {
      throw malformed.apply("the host is empty");
    }
    return new Endpoint(host, port == null ? DEFAULT_PORT : parsePort(port, malformed), database);
  }

  /**
   * The host as pgjdbc needs it: an IPv6 literal without its brackets and in Java's full form
   * ({@code ::1} becomes {@code 0:0:0:0:0:0:0:1}, the form in which Java reports a certificate's IP
   * addresses, which pgjdbc's host name check compares as text), a name without the trailing dot of
   * a fully qualified name ({@code db.internal.}), which names the same host but would fail that
   * check against a certificate for {@code db.internal}.
   */
  public static String bareHost(String host) {
    String bare =
        host.length() > 1 && host.startsWith("[") && host.endsWith("]")
            ? host.substring(1, host.length() - 1)
            : host;
    if (bare.contains(":")) {
      return ipv6Literal(bare);
    }
    if (bare.length() > 1 && bare.endsWith(".") && !bare.endsWith("..")) {
      return bare.substring(0, bare.length() - 1);
    }
    return bare;
  }

  /** A literal with a ':' is never looked up in DNS; one Java cannot read is left for pgjdbc. */
  private static String ipv6Literal(String literal) {
    try {
      return InetAddress.getByName(literal).getHostAddress();
    } catch (UnknownHostException | SecurityException e) {
      return literal;
    }
  }

  private static int parsePort(String text, Function<String, SQLException> malformed)
      throws SQLException {
    Integer port = port(text);
    if (port == null) {
      throw malformed.apply("the port must be " + PORT_RANGE);
    }
    return port;
  }

  /** The port a text names, or null when it is not {@value #PORT_RANGE}. */
  public static @Nullable Integer port(String text) {
    try {
      int port = Integer.parseInt(text);
      return port >= 1 && port <= 65535 ? port : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** The host as a URL writes it: an IPv6 address in brackets. */
  public String urlHost() {
    return host.contains(":") ? "[" + host + "]" : host;
  }

  @Override
  public String toString() {
    return urlHost() + ":" + port + "/" + database;
  }
}
