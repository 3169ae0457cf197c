package com.pazpaz.secrets.jdbc.internal;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/** Percent-decoding for the parts of our URLs. */
public final class UrlText {

  private UrlText() {}

  /**
   * Percent-decodes as UTF-8 without turning '+' into a space (secret names and passwords may
   * contain '+'); null when the encoding is invalid: a '%' without two hex digits after it, or
   * bytes that are not UTF-8 (which would otherwise become U+FFFD and, in a password, a login that
   * fails for no visible reason).
   */
  public static @Nullable String decode(String text) {
    if (text.indexOf('%') < 0) {
      return text;
    }
    StringBuilder decoded = new StringBuilder(text.length());
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    int i = 0;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (c != '%') {
        if (!appendUtf8(bytes, decoded)) {
          return null;
        }
        decoded.append(c);
        i++;
        continue;
      }
      int high = i + 1 < text.length() ? Character.digit(text.charAt(i + 1), 16) : -1;
      int low = i + 2 < text.length() ? Character.digit(text.charAt(i + 2), 16) : -1;
      if (high < 0 || low < 0) {
        return null;
      }
      bytes.write(high * 16 + low);
      i += 3;
    }
    return appendUtf8(bytes, decoded) ? decoded.toString() : null;
  }

  /** Appends the pending bytes as strict UTF-8 and clears them; false when they are not UTF-8. */
  private static boolean appendUtf8(ByteArrayOutputStream bytes, StringBuilder decoded) {
    if (bytes.size() == 0) {
      return true;
    }
    try {
      decoded.append(
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(bytes.toByteArray())));
      bytes.reset();
      return true;
    } catch (CharacterCodingException e) {
      return false;
    }
  }

  /**
   * Splits {@code a=1&b=2} into decoded pairs, in order. Empty pairs ({@code a=1&&b=2}) are
   * skipped. Reasons never quote a value or an undecodable key, which may be a password.
   *
   * @param malformed turns a reason into the caller's exception
   * @throws SQLException when a pair has no key, an invalid encoding, or a key given twice
   */
  public static Map<String, String> decodeQuery(
      String query, Function<String, SQLException> malformed) throws SQLException {
    Map<String, String> values = new LinkedHashMap<>();
    for (String pair : query.split("&", -1)) {
      if (pair.isEmpty()) {
        continue;
      }
      int equals = pair.indexOf('=');
      if (equals <= 0) {
        throw malformed.apply("each query parameter must be KEY=VALUE");
      }
      String key = decode(pair.substring(0, equals));
      if (key == null) {
        throw malformed.apply("a query parameter name has an invalid percent-encoding");
      }
      String value = decode(pair.substring(equals + 1));
      if (value == null) {
        throw malformed.apply(
            "the value of query parameter '" + key + "' has an invalid percent-encoding");
      }
      if (values.put(key, value) != null) {
        throw malformed.apply(
            "the query parameter '" + key + "' is given more than once; give it once");
      }
    }
    return values;
  }
}
