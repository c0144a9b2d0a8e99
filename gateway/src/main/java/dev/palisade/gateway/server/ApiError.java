package dev.palisade.gateway.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.palisade.gateway.provider.Json;

/**
 * An error answered to a client, in OpenAI's shape ({@code {"error":{message,type,param,code}}})
 * so OpenAI SDKs raise their usual exception types. Messages are written by the gateway or
 * redacted before they get here: they never carry a provider key.
 */
public record ApiError(int status, String type, String code, String message, Long retryAfterSeconds) {

  public ApiError {
    if (status < 400 || status > 599) {
      throw new IllegalArgumentException("an error status is 4xx or 5xx, got " + status);
    }
  }

  static ApiError of(int status, String type, String code, String message) {
    return new ApiError(status, type, code, message, null);
  }

  static ApiError badRequest(String code, String message) {
    return of(400, "invalid_request_error", code, message);
  }

  static ApiError unauthorized() {
    return of(401, "invalid_request_error", "invalid_api_key",
        "Missing or unknown gateway key: send 'Authorization: Bearer <your gateway key>'.");
  }

  ObjectNode body() {
    ObjectNode root = Json.object();
    ObjectNode error = root.putObject("error");
    error.put("message", message);
    error.put("type", type);
    error.putNull("param");
    if (code == null) {
      error.putNull("code");
    } else {
      error.put("code", code);
    }
    return root;
  }

  /** The error as one SSE event, for streams that fail after they have started. */
  String asSseEvent() {
    return "data: " + Json.text(body()) + "\n\n";
  }
}
