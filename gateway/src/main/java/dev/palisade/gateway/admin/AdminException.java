package dev.palisade.gateway.admin;


import dev.palisade.gateway.ExitCode;
import dev.palisade.gateway.GatewayException;

/** An admin request that cannot be served as sent; becomes a JSON error with this status. */
final class AdminException extends GatewayException {

  final int status;
  final String code;

  AdminException(int status, String code, String message) {
    super(ExitCode.USAGE, message);
    this.status = status;
    this.code = code;
  }

  static AdminException badRequest(String message) {
    return new AdminException(400, "invalid_request", message);
  }
}
