package dev.palisade.gateway.auth;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLContext;

/**
 * An https JWKS endpoint, fetched with the JDK's asynchronous HTTP client: no event loop ever
 * waits for the identity provider. Every fetch is bounded in time (connect and whole exchange)
 * and in size (the body is cut off past the limit, not buffered).
 */
final class UrlJwksSource implements JwksSource {

  private final URI url;
  private final long maxBytes;
  private final Duration timeout;
  private final HttpClient http;

  UrlJwksSource(URI url, long maxBytes, Duration timeout, SSLContext ssl, Executor executor) {
    this.url = url;
    this.maxBytes = maxBytes;
    this.timeout = timeout;
    HttpClient.Builder b =
        HttpClient.newBuilder()
            .connectTimeout(timeout)
            .followRedirects(HttpClient.Redirect.NEVER)
            .executor(executor);
    if (ssl != null) {
      b.sslContext(ssl);
    }
    this.http = b.build();
  }

  @Override
  public CompletableFuture<byte[]> fetch() {
    HttpRequest request =
        HttpRequest.newBuilder(url).timeout(timeout).header("accept", "application/json").GET().build();
    return http.sendAsync(request, info -> {
          if (info.statusCode() != 200) {
            throw new JwksException(url + ": the JWKS endpoint answered HTTP " + info.statusCode());
          }
          return new BoundedBody(maxBytes, url);
        })
        .thenApply(HttpResponse::body)
        // The request timeout covers the headers only; the body gets the same budget again.
        .orTimeout(2 * timeout.toMillis(), TimeUnit.MILLISECONDS)
        .exceptionally(e -> {
          Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
          if (cause instanceof JwksException j) {
            throw j;
          }
          if (cause instanceof TimeoutException || cause instanceof java.net.http.HttpTimeoutException) {
            throw new JwksException(url + ": the JWKS fetch timed out after " + timeout.toMillis() + " ms");
          }
          throw new JwksException(url + ": cannot fetch the JWKS: " + cause.getClass().getSimpleName()
              + (cause.getMessage() == null ? "" : ": " + cause.getMessage()));
        });
  }

  @Override
  public String describe() {
    return url.toString();
  }

  /** Collects the body up to {@code max} bytes and cancels the transfer past it. */
  private static final class BoundedBody implements HttpResponse.BodySubscriber<byte[]> {
    private final long max;
    private final URI url;
    private final CompletableFuture<byte[]> result = new CompletableFuture<>();
    private final java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    private Flow.Subscription subscription;

    BoundedBody(long max, URI url) {
      this.max = max;
      this.url = url;
    }

    @Override
    public CompletionStage<byte[]> getBody() {
      return result;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
      subscription = s;
      s.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(List<ByteBuffer> buffers) {
      if (result.isDone()) {
        return;
      }
      for (ByteBuffer b : buffers) {
        if (out.size() + (long) b.remaining() > max) {
          subscription.cancel();
          result.completeExceptionally(new JwksException(url + ": the JWKS is larger than " + max + " bytes"));
          return;
        }
        byte[] chunk = new byte[b.remaining()];
        b.get(chunk);
        out.write(chunk, 0, chunk.length);
      }
    }

    @Override
    public void onError(Throwable t) {
      result.completeExceptionally(t);
    }

    @Override
    public void onComplete() {
      result.complete(out.toByteArray());
    }
  }
}
