package com.pazpaz.secrets.jdbc.internal;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Percent-decoding for the parts of our URLs. */
public final class UrlText {

  private UrlText() {}

  /**
   * Percent-decodes without turning '+' into a space (secret names and passwords may contain '+');
   * null when the encoding is invalid.
   */
  public static @Nullable String decode(String text) {
    try {
      return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /**
   * Splits {@code a=1&b=2} into decoded pairs, in order; null when a pair has no key or an invalid
   * encoding.
   */
  public static @Nullable Map<String, String> decodeQuery(String query) {
    Map<String, String> values = new LinkedHashMap<>();
    for (String pair : query.split("&", -1)) {
      if (pair.isEmpty()) {
        continue;
      }
      int equals = pair.indexOf('=');
      String key = equals <= 0 ? null : decode(pair.substring(0, equals));
      String value = equals <= 0 ? null : decode(pair.substring(equals + 1));
      if (key == null || value == null) {
        return null;
      }
      values.put(key, value);
    }
    return values;
  }
}
