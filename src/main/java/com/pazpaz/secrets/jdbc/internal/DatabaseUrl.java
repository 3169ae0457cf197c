package com.pazpaz.secrets.jdbc.internal;

import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Credentials from {@code DATABASE_URL}: {@code postgresql://}, {@code postgres://}, SQLAlchemy
 * forms such as {@code postgresql+asyncpg://}, or {@code jdbc:postgresql://}. User and password
 * come from the user info (percent-decoded) or from {@code user}/{@code password} query parameters;
 * the other query parameters go to pgjdbc. Error messages never quote the URL.
 *
 * @param parameters query parameters for pgjdbc, without user and password
 */
public record DatabaseUrl(DatabaseSecret credentials, Map<String, String> parameters) {

  private static final List<String> SCHEMES = List.of("postgresql", "postgres");

  public static DatabaseUrl parse(String databaseUrl) throws SQLException {
    String url = databaseUrl.trim();
    if (url.startsWith("jdbc:")) {
      url = url.substring("jdbc:".length());
    }
    int schemeEnd = url.indexOf("://");
    String scheme = schemeEnd < 0 ? "" : url.substring(0, schemeEnd);
    String baseScheme = scheme.contains("+") ? scheme.substring(0, scheme.indexOf('+')) : scheme;
    if (!SCHEMES.contains(baseScheme)) {
      throw malformed(
          "it must start with postgresql://, postgres://, postgresql+DRIVER:// or"
              + " jdbc:postgresql://");
    }
    String rest = url.substring(schemeEnd + 3);
    int queryStart = rest.indexOf('?');
    Map<String, String> query =
        queryStart < 0
            ? Map.of()
            : UrlText.decodeQuery(rest.substring(queryStart + 1), DatabaseUrl::malformed);
    String beforeQuery = queryStart < 0 ? rest : rest.substring(0, queryStart);
    int at = beforeQuery.lastIndexOf('@');
    String userInfo = at < 0 ? null : beforeQuery.substring(0, at);
    Endpoint endpoint = Endpoint.parse(beforeQuery.substring(at + 1), DatabaseUrl::malformed);

    Map<String, String> parameters = new LinkedHashMap<>(query);
    String user = parameters.remove("user");
    String password = parameters.remove("password");
    if (userInfo != null) {
      int colon = userInfo.indexOf(':');
      user = UrlText.decode(colon < 0 ? userInfo : userInfo.substring(0, colon));
      password = colon < 0 ? password : UrlText.decode(userInfo.substring(colon + 1));
      if (user == null || (password == null && colon >= 0)) {
        throw malformed("its user or password has an invalid percent-encoding");
      }
    }
    if (user == null || user.isEmpty()) {
      throw malformed("it names no user (postgresql://USER:PASSWORD@HOST:PORT/DATABASE)");
    }
    DatabaseSecret credentials =
        new DatabaseSecret(
            user,
            password == null ? "" : password,
            endpoint.host(),
            endpoint.port(),
            endpoint.database(),
            null);
    return new DatabaseUrl(credentials, Map.copyOf(parameters));
  }

  private static SQLException malformed(String reason) {
    return new SQLException(
        "DATABASE_URL (key databaseUrl) is malformed: "
            + reason
            + ". Expected postgresql://USER:PASSWORD@HOST:PORT/DATABASE with the password"
            + " percent-encoded.",
        SqlStates.CONNECTION_UNABLE_TO_CONNECT);
  }

  @Override
  public String toString() {
    return "DatabaseUrl[credentials=" + credentials + ", parameters=" + parameters.keySet() + "]";
  }
}
