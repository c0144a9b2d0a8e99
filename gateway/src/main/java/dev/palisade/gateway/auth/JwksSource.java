package dev.palisade.gateway.auth;

import java.util.concurrent.CompletableFuture;

/** Where a JWKS document comes from. Fetches are asynchronous: callers sit on event loops. */
interface JwksSource {

  /** The raw document, at most the configured size; fails with {@link JwksException}. */
  CompletableFuture<byte[]> fetch();

  /** For log lines: the file or URL (never carries a secret). */
  String describe();

  /** A JWKS that could not be read or used; the message names the source and the problem. */
  final class JwksException extends RuntimeException {
    JwksException(String message) {
      super(message);
    }
  }
}
