package dev.palisade.gateway.auth;

import dev.palisade.gateway.config.AuthConfig;
import dev.palisade.gateway.config.AuthMethod;
import dev.palisade.gateway.config.ConsumerConfig;
import dev.palisade.gateway.consumer.ConsumerRegistry;
import dev.palisade.gateway.config.JwtConfig;
import dev.palisade.gateway.tls.PemFiles;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Decides which consumer a request comes from, by the methods of {@link AuthConfig} in their
 * configured order: the first method whose credential the request carries decides. A bearer
 * value shaped like a JWT (three dot-separated parts) is a JWT when JWT is enabled; any other
 * bearer value is a gateway key. A refused credential is never retried with another method.
 *
 * <p>Free of Vert.x: results are {@link CompletableFuture}s (completed at once except while a
 * JWKS is fetched), and the verticle passes the peer certificate in.
 */
public final class ConsumerAuthenticator implements AutoCloseable {

  private final AuthConfig config;
  private final KeyAuthenticator keys;
  private final JwtAuthenticator jwt;
  private final ClientCertAuthenticator certs;
  private final ExecutorService jwksExecutor;

  /**
   * @param keyRegistry where gateway keys are looked up (it may change at runtime)
   * @param consumers the config's consumers, for JWT claims and client certificates
   */
  public ConsumerAuthenticator(
      AuthConfig config, ConsumerRegistry keyRegistry, List<ConsumerConfig> consumers, Clock clock) {
    this.config = config;
    this.keys = config.accepts(AuthMethod.KEY) ? new KeyAuthenticator(keyRegistry) : null;
    this.certs = config.accepts(AuthMethod.CLIENT_CERT) ? new ClientCertAuthenticator(config.certMatch(), consumers) : null;
    if (config.accepts(AuthMethod.JWT)) {
      // One daemon thread: JWKS fetches are rare (rate-limited) and must never block an event loop.
      jwksExecutor = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "palisade-jwks");
        t.setDaemon(true);
        return t;
      });
      JwtConfig j = config.jwt();
      JwksSource source = j.jwksFile() != null
          ? new FileJwksSource(j.jwksFile(), j.maxJwksBytes(), jwksExecutor)
          : new UrlJwksSource(j.jwksUrl(), j.maxJwksBytes(), j.fetchTimeout(),
              j.jwksCaFile() == null ? null : PemFiles.trustOnly(j.jwksCaFile()), jwksExecutor);
      this.jwt = new JwtAuthenticator(j, new JwksCache(source, j.cacheTtl(), j.refreshMinInterval(), clock), consumers, clock);
    } else {
      jwksExecutor = null;
      this.jwt = null;
    }
  }

  /** Starts the first JWKS fetch so the first request does not wait for it. */
  public void warmUp() {
    if (jwt != null) {
      jwt.warmUp();
    }
  }

  /**
   * @param authorization the {@code Authorization} header, or null
   * @param peerCertificate the TLS client's leaf certificate, or null (asked for only when needed)
   */
  public CompletableFuture<AuthOutcome> authenticate(String authorization, Supplier<X509Certificate> peerCertificate) {
    String bearer = bearer(authorization);
    for (AuthMethod method : config.methods()) {
      switch (method) {
        case KEY -> {
          if (bearer != null && !(jwt != null && JwtAuthenticator.looksLikeJwt(bearer))) {
            return CompletableFuture.completedFuture(keys.authenticate(authorization));
          }
        }
        case JWT -> {
          if (bearer != null && (keys == null || JwtAuthenticator.looksLikeJwt(bearer))) {
            return jwt.authenticate(bearer);
          }
        }
        case CLIENT_CERT -> {
          X509Certificate leaf = peerCertificate.get();
          if (leaf != null) {
            return CompletableFuture.completedFuture(certs.authenticate(leaf));
          }
        }
      }
    }
    return CompletableFuture.completedFuture(AuthOutcome.unauthorized("missing_credential",
        "No credential: this gateway accepts " + described() + "."));
  }

  private String described() {
    return config.methods().stream().map(m -> switch (m) {
      case KEY -> "'Authorization: Bearer <gateway key>'";
      case JWT -> "'Authorization: Bearer <JWT>'";
      case CLIENT_CERT -> "a TLS client certificate";
    }).collect(Collectors.joining(" or "));
  }

  private static String bearer(String header) {
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return null;
    }
    String value = header.substring(7).strip();
    return value.isEmpty() ? null : value;
  }

  @Override
  public void close() {
    if (jwksExecutor != null) {
      jwksExecutor.shutdownNow();
    }
  }
}
