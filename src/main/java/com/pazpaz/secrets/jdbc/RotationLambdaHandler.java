package com.pazpaz.secrets.jdbc;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.util.Map;

/**
 * The rotation function's handler under the name deployed functions were configured with ({@code
 * com.pazpaz.secrets.jdbc.RotationLambdaHandler::handleRequest}). It forwards to {@link
 * com.pazpaz.secrets.jdbc.rotation.RotationLambdaHandler}; new deployments may name either.
 */
public final class RotationLambdaHandler implements RequestHandler<Map<String, String>, Void> {

  private final com.pazpaz.secrets.jdbc.rotation.RotationLambdaHandler handler =
      new com.pazpaz.secrets.jdbc.rotation.RotationLambdaHandler();

  @Override
  public Void handleRequest(Map<String, String> event, Context context) {
    return handler.handleRequest(event, context);
  }
}
