package com.pazpaz.secrets.jdbc.internal;

import java.sql.SQLException;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A parsed {@code jdbc:pazpaz-secrets:} URL, in one of its two forms:
 *
 * <pre>
 * jdbc:pazpaz-secrets:[SECRET_ID][?KEY=VALUE(&amp;KEY=VALUE)*]
 * jdbc:pazpaz-secrets://HOST[:PORT]/DATABASE[?KEY=VALUE(&amp;KEY=VALUE)*]
 * </pre>
 *
 * The secret id and the query are percent-decoded; a {@code +} stays a plus sign.
 *
 * @param secretId null when the URL names none
 * @param endpoint the {@code //HOST} form's endpoint, or null
 */
public record JdbcUrl(
    @Nullable String secretId, @Nullable Endpoint endpoint, Map<String, String> query) {

  public static final String PREFIX = "jdbc:pazpaz-secrets:";

  public static boolean accepts(String url) {
    return url != null && url.startsWith(PREFIX);
  }

  public static JdbcUrl parse(String url) throws SQLException {
    if (!accepts(url)) {
      throw malformed("it must start with " + PREFIX);
    }
    String rest = url.substring(PREFIX.length());
    int queryStart = rest.indexOf('?');
    String path = queryStart < 0 ? rest : rest.substring(0, queryStart);
    Map<String, String> query =
        queryStart < 0
            ? Map.of()
            : UrlText.decodeQuery(rest.substring(queryStart + 1), JdbcUrl::malformed);
    if (path.startsWith("//")) {
      return new JdbcUrl(null, Endpoint.parse(path.substring(2), JdbcUrl::malformed), query);
    }
    if (path.isEmpty()) {
      return new JdbcUrl(null, null, query);
    }
    String secretId = UrlText.decode(path);
    if (secretId == null) {
      throw malformed("the secret id has an invalid percent-encoding");
    }
    return new JdbcUrl(secretId, null, query);
  }

  private static SQLException malformed(String reason) {
    return new SQLException(
        ("Malformed URL: %s. Expected %2$s[SECRET_ID][?KEY=VALUE&...] or"
                + " %2$s//HOST[:PORT]/DATABASE[?KEY=VALUE&...]")
            .formatted(reason, PREFIX),
        SqlStates.CONNECTION_UNABLE_TO_CONNECT);
  }
}
