package com.pazpaz.secrets.jdbc.testing;

/**
 * A request the local Secrets Manager rejects: status 400 with this error type ({@code __type}), as
 * AWS answers it. Also what the Java seeding methods throw for a mistake in a test.
 */
final class ApiError extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;

  private final String type;

  ApiError(String type, String message) {
    super(message);
    this.type = type;
  }

  String type() {
    return type;
  }

  static ApiError notFound() {
    return new ApiError(
        "ResourceNotFoundException", "Secrets Manager can't find the specified secret.");
  }

  static ApiError versionNotFound(String detail) {
    return new ApiError(
        "ResourceNotFoundException",
        "Secrets Manager can't find the specified secret value for " + detail);
  }

  static ApiError invalid(String message) {
    return new ApiError("InvalidParameterException", message);
  }
}
