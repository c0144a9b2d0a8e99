package dev.palisade.oci.registry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.palisade.oci.auth.Credential;
import dev.palisade.oci.auth.CredentialException;
import dev.palisade.oci.auth.CredentialProvider;
import dev.palisade.oci.manifest.Json;
import dev.palisade.oci.manifest.ManifestFormatException;
import dev.palisade.oci.redact.Redactor;
import java.io.Closeable;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.ssl.ClientTlsStrategyBuilder;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.io.entity.FileEntity;
import org.apache.hc.core5.util.Timeout;

/**
 * HTTP to one registry: the token/basic challenge flow, redirects that never carry our
 * Authorization header to another host, and bounded retries of idempotent requests. Everything it
 * reports is redacted.
 */
final class RegistryTransport implements Closeable {

  private static final int MAX_REDIRECTS = 5;
  private static final int MAX_ATTEMPTS = 3;
  private static final long MAX_RETRY_WAIT_MILLIS = 10_000;
  private static final int MAX_TOKEN_RESPONSE = 1024 * 1024;

  private final RegistryEndpoint endpoint;
  private final String credentialHost;
  private final CredentialProvider credentials;
  private final Consumer<RegistryEvent> events;
  private final CloseableHttpClient http;
  /** Authorization header value per scope, once a challenge was answered. */
  private final Map<String, String> authorizations = new ConcurrentHashMap<>();

  RegistryTransport(
      RegistryEndpoint endpoint,
      String credentialHost,
      CredentialProvider credentials,
      SSLContext sslContext,
      RegistryTimeouts timeouts,
      String userAgent,
      Consumer<RegistryEvent> events) {
    this.endpoint = endpoint;
    this.credentialHost = credentialHost;
    this.credentials = credentials;
    this.events = events;
    PoolingHttpClientConnectionManagerBuilder connections =
        PoolingHttpClientConnectionManagerBuilder.create()
            .setMaxConnTotal(16)
            .setMaxConnPerRoute(8)
            .setDefaultConnectionConfig(
                ConnectionConfig.custom()
                    .setConnectTimeout(Timeout.of(timeouts.connect()))
                    .setSocketTimeout(Timeout.of(timeouts.read()))
                    .build());
    if (sslContext != null) {
      connections.setTlsSocketStrategy(ClientTlsStrategyBuilder.create().setSslContext(sslContext).buildClassic());
    }
    this.http =
        HttpClients.custom()
            .setConnectionManager(connections.build())
            .disableRedirectHandling()
            .disableAutomaticRetries()
            .disableCookieManagement()
            .disableAuthCaching()
            .setUserAgent(userAgent)
            .build();
  }

  RegistryEndpoint endpoint() {
    return endpoint;
  }

  /** Sends a request, answering one auth challenge, following redirects and retrying as allowed. */
  RegistryResponse send(RegistryRequest request) throws RegistryException {
    RegistryException last = null;
    for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      try {
        RegistryResponse response = sendAuthorized(request);
        int status = response.status();
        if (request.idempotent() && attempt < MAX_ATTEMPTS && isRetryable(status)) {
          long wait = retryWait(response.header("Retry-After"), attempt);
          closeQuietly(response);
          events.accept(new RegistryEvent(RegistryEvent.Kind.RETRY,
              request.method() + " " + Redactor.uri(request.uri()) + " got " + status + ", retrying in " + wait + " ms"));
          sleep(wait);
          continue;
        }
        return response;
      } catch (RegistryConnectionException e) {
        boolean timeout = e.getCause() instanceof SocketTimeoutException;
        if (!request.idempotent() || timeout || attempt == MAX_ATTEMPTS || e.getCause() instanceof SSLException) {
          throw e;
        }
        last = e;
        events.accept(new RegistryEvent(RegistryEvent.Kind.RETRY, e.getMessage() + "; retrying"));
        sleep(retryWait(null, attempt));
      }
    }
    throw last;
  }

  private RegistryResponse sendAuthorized(RegistryRequest request) throws RegistryException {
    // A request without a scope (ping: GET /v2/) still caches its answer; ConcurrentHashMap takes no null key.
    String cacheKey = request.scope() == null ? "" : request.scope();
    RegistryResponse response = sendFollowingRedirects(request, authorizations.get(cacheKey));
    if (response.status() != 401) {
      return response;
    }
    String header = response.headers("WWW-Authenticate");
    closeQuietly(response);
    String authorization = answerChallenge(header, request.scope());
    authorizations.put(cacheKey, authorization);
    response = sendFollowingRedirects(request, authorization);
    if (response.status() == 401) {
      closeQuietly(response);
      authorizations.remove(cacheKey);
      throw new RegistryAuthenticationException(
          "registry " + endpoint.host() + " refused the credentials for " + credentialHost
              + " (401 on " + request.method() + " " + Redactor.uri(request.uri()) + ")");
    }
    return response;
  }

  private RegistryResponse sendFollowingRedirects(RegistryRequest request, String authorization)
      throws RegistryException {
    RegistryRequest current = request;
    String currentAuthorization = authorization;
    for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
      RegistryResponse response = execute(current, currentAuthorization);
      int status = response.status();
      String location = response.header("Location");
      boolean redirect = status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
      if (!redirect || location == null || !request.idempotent()) {
        return response;
      }
      closeQuietly(response);
      URI next = current.uri().resolve(location);
      if (!next.getScheme().equals("https") && current.uri().getScheme().equals("https")) {
        throw new RegistryProtocolException(
            "registry " + endpoint.host() + " redirected from HTTPS to " + Redactor.uri(next) + "; refused");
      }
      if (!sameOrigin(next, current.uri())) {
        // Blob storage (S3, GCS) gets a pre-signed URL and must never see our token.
        currentAuthorization = null;
      }
      events.accept(new RegistryEvent(RegistryEvent.Kind.REDIRECT, "redirected to " + Redactor.uri(next)));
      current = current.withUri(next);
    }
    throw new RegistryProtocolException(
        "registry " + endpoint.host() + " redirected more than " + MAX_REDIRECTS + " times for "
            + Redactor.uri(request.uri()));
  }

  private RegistryResponse execute(RegistryRequest request, String authorization) throws RegistryException {
    HttpUriRequestBase httpRequest = new HttpUriRequestBase(request.method(), request.uri());
    request.headers().forEach(httpRequest::setHeader);
    if (authorization != null) {
      httpRequest.setHeader("Authorization", authorization);
    }
    String contentType = request.headers().getOrDefault("Content-Type", "application/octet-stream");
    if (request.body() != null) {
      httpRequest.setEntity(new ByteArrayEntity(request.body(), ContentType.parse(contentType)));
    } else if (request.bodyFile() != null) {
      httpRequest.setEntity(new FileEntity(request.bodyFile().toFile(), ContentType.parse(contentType)));
    }
    try {
      ClassicHttpResponse response = http.executeOpen(null, httpRequest, null);
      return new RegistryResponse(response, request.uri());
    } catch (UnknownHostException e) {
      throw new RegistryConnectionException("registry host " + request.uri().getHost() + " is unknown", e);
    } catch (ConnectException e) {
      throw new RegistryConnectionException(
          "cannot connect to registry " + hostOf(request.uri()) + ": " + e.getMessage(), e);
    } catch (SocketTimeoutException e) {
      throw new RegistryConnectionException(
          "registry " + hostOf(request.uri()) + " did not answer in time (" + request.method() + " "
              + Redactor.uri(request.uri()) + ")", e);
    } catch (SSLException e) {
      throw new RegistryConnectionException(
          "TLS with registry " + hostOf(request.uri()) + " failed: " + Redactor.text(e.getMessage())
              + " (use --ca-file for a private CA)", e);
    } catch (InterruptedIOException e) {
      throw new RegistryConnectionException("interrupted talking to registry " + hostOf(request.uri()), e);
    } catch (IOException e) {
      throw new RegistryConnectionException(
          "I/O error talking to registry " + hostOf(request.uri()) + ": " + Redactor.text(e.getMessage()), e);
    }
  }

  /** Turns a 401's challenges into an Authorization header value, fetching a token if asked to. */
  private String answerChallenge(String header, String scope) throws RegistryException {
    List<AuthChallenge> challenges = AuthChallenge.parseAll(header);
    Optional<Credential> credential = credential();
    for (AuthChallenge challenge : challenges) {
      if (challenge.scheme().equals("bearer")) {
        return "Bearer " + fetchToken(challenge, scope, credential.orElse(null));
      }
    }
    for (AuthChallenge challenge : challenges) {
      if (challenge.scheme().equals("basic")) {
        if (credential.isEmpty()) {
          throw new RegistryAuthenticationException(
              "registry " + endpoint.host() + " requires authentication and no credentials are"
                  + " configured for " + credentialHost);
        }
        events.accept(new RegistryEvent(RegistryEvent.Kind.AUTHENTICATED,
            "basic auth for " + credentialHost + " as " + credential.get().username()));
        return basic(credential.get());
      }
    }
    throw new RegistryProtocolException(
        "registry " + endpoint.host() + " answered 401 without a Basic or Bearer challenge");
  }

  private String fetchToken(AuthChallenge challenge, String scope, Credential credential)
      throws RegistryException {
    String realm = challenge.parameter("realm");
    if (realm == null || realm.isBlank()) {
      throw new RegistryProtocolException("registry " + endpoint.host() + " sent a Bearer challenge without a realm");
    }
    URI realmUri;
    try {
      realmUri = URI.create(realm);
    } catch (IllegalArgumentException e) {
      throw new RegistryProtocolException("registry " + endpoint.host() + " sent an invalid token realm");
    }
    if (realmUri.getScheme() == null || (!realmUri.getScheme().equals("https")
        && !(realmUri.getScheme().equals("http") && endpoint.plainHttp()))) {
      throw new RegistryProtocolException(
          "registry " + endpoint.host() + " asks for tokens from " + Redactor.uri(realmUri)
              + ", which is not HTTPS; refused");
    }
    StringBuilder query = new StringBuilder();
    appendQuery(query, "service", challenge.parameter("service"));
    String challengeScope = challenge.parameter("scope");
    appendQuery(query, "scope", challengeScope != null ? challengeScope : scope);
    if (challengeScope != null && scope != null && !challengeScope.equals(scope)) {
      appendQuery(query, "scope", scope);
    }
    String separator = realm.contains("?") ? "&" : "?";
    URI tokenUri = URI.create(realm + (query.length() == 0 ? "" : separator + query));
    HttpUriRequestBase request = new HttpUriRequestBase("GET", tokenUri);
    if (credential != null) {
      request.setHeader("Authorization", basic(credential));
    }
    try (ClassicHttpResponse response = http.executeOpen(null, request, null);
        RegistryResponse wrapped = new RegistryResponse(response, tokenUri)) {
      int status = wrapped.status();
      if (status == 401 || status == 403) {
        throw new RegistryAuthenticationException(
            credential == null
                ? "registry " + endpoint.host() + " requires authentication and no credentials are configured for " + credentialHost
                : "token service " + tokenUri.getHost() + " refused the credentials for " + credentialHost);
      }
      if (status != 200) {
        throw new RegistryProtocolException(
            "token service " + tokenUri.getHost() + " answered " + status + " for " + Redactor.uri(tokenUri));
      }
      JsonNode body = Json.parse(wrapped.bodyBytes(MAX_TOKEN_RESPONSE), "token response from " + tokenUri.getHost());
      JsonNode token = body.hasNonNull("token") ? body.get("token") : body.get("access_token");
      if (token == null || !token.isTextual() || token.textValue().isBlank()) {
        throw new RegistryProtocolException("token service " + tokenUri.getHost() + " returned no token");
      }
      events.accept(new RegistryEvent(RegistryEvent.Kind.AUTHENTICATED,
          "token for " + (scope == null ? "registry" : scope) + " from " + tokenUri.getHost()));
      return token.textValue();
    } catch (ManifestFormatException e) {
      throw new RegistryProtocolException("token service " + tokenUri.getHost() + " returned invalid JSON");
    } catch (IOException e) {
      throw new RegistryConnectionException(
          "cannot reach token service " + tokenUri.getHost() + ": " + Redactor.text(e.getMessage()), e);
    }
  }

  private Optional<Credential> credential() throws RegistryException {
    try {
      return credentials.credentialFor(credentialHost);
    } catch (CredentialException e) {
      throw new RegistryAuthenticationException(e.getMessage(), e);
    }
  }

  private static String basic(Credential credential) {
    String pair = credential.username() + ":" + credential.secret();
    return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
  }

  private static void appendQuery(StringBuilder query, String name, String value) {
    if (value == null || value.isEmpty()) {
      return;
    }
    if (query.length() > 0) {
      query.append('&');
    }
    query.append(name).append('=').append(URLEncoder.encode(value, StandardCharsets.UTF_8));
  }

  private static boolean isRetryable(int status) {
    return status == 429 || status == 502 || status == 503 || status == 504;
  }

  private static long retryWait(String retryAfter, int attempt) {
    if (retryAfter != null) {
      try {
        return Math.min(MAX_RETRY_WAIT_MILLIS, Math.max(0, Long.parseLong(retryAfter.trim()) * 1000));
      } catch (NumberFormatException ignored) {
        // An HTTP date: fall through to our own backoff.
      }
    }
    return 250L << (attempt - 1);
  }

  private static void sleep(long millis) throws RegistryConnectionException {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RegistryConnectionException("interrupted while waiting to retry");
    }
  }

  private static boolean sameOrigin(URI a, URI b) {
    return a.getScheme().equals(b.getScheme()) && hostOf(a).equals(hostOf(b));
  }

  private static String hostOf(URI uri) {
    return uri.getPort() < 0 ? uri.getHost() : uri.getHost() + ":" + uri.getPort();
  }

  static void closeQuietly(Closeable closeable) {
    try {
      closeable.close();
    } catch (IOException ignored) {
      // Closing a response we are done with; nothing useful to report.
    }
  }

  @Override
  public void close() throws IOException {
    http.close();
  }
}
