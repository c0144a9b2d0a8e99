package dev.palisade.oci.it;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;

/**
 * A registry with token auth, the way Docker Hub, GHCR and Harbor do it, built from the JDK's HTTP
 * server in front of a real (plain, anonymous) registry: {@code /v2/} requests without a valid
 * {@code Authorization: Bearer} answer 401 with a {@code WWW-Authenticate: Bearer realm=...,
 * service=...,scope=...} challenge; {@code /token} checks Basic credentials and issues an opaque token
 * for the scopes asked for; authorised requests are forwarded to the real registry, so the content is
 * real. Only reads (GET) are forwarded.
 */
final class TokenAuthProxy implements AutoCloseable {

  static final String SERVICE = "test";
  private static final Pattern REPOSITORY_PATH = Pattern.compile("^/v2/(.+?)/(manifests|blobs|tags|referrers)/.*");
  private static final Set<String> HOP_BY_HOP = Set.of("content-length", "transfer-encoding", "connection", "date",
      "keep-alive");

  private final URI upstream;
  private final String username;
  private final String password;
  private final HttpServer server;
  private final ExecutorService executor = Executors.newFixedThreadPool(4);
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  /** Issued token to the scopes it grants. */
  private final Map<String, List<String>> tokens = new ConcurrentHashMap<>();

  /** What the token endpoint saw: {@code user:password} from Basic, or {@code <none>}. */
  final List<String> tokenCredentials = new CopyOnWriteArrayList<>();
  /** The query strings of token requests, decoded. */
  final List<String> tokenQueries = new CopyOnWriteArrayList<>();
  final AtomicInteger challenged = new AtomicInteger();
  final AtomicInteger forwarded = new AtomicInteger();
  /** Authorization headers that reached the /v2/ side, for checking nothing but Bearer arrives. */
  final List<String> registryAuthorizations = new CopyOnWriteArrayList<>();

  private final String scheme;
  /** The scheme written into the challenge's realm; normally the server's own. */
  volatile String realmScheme;

  TokenAuthProxy(URI upstream, String username, String password) throws IOException {
    this(upstream, username, password, null);
  }

  /** @param serverTls serve HTTPS with this context (key and certificate), or null for plain HTTP */
  TokenAuthProxy(URI upstream, String username, String password, SSLContext serverTls) throws IOException {
    this.upstream = upstream;
    this.username = username;
    this.password = password;
    InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    if (serverTls == null) {
      this.server = HttpServer.create(address, 16);
      this.scheme = "http";
    } else {
      HttpsServer https = HttpsServer.create(address, 16);
      https.setHttpsConfigurator(new HttpsConfigurator(serverTls));
      this.server = https;
      this.scheme = "https";
    }
    this.realmScheme = scheme;
    server.createContext("/token", this::token);
    server.createContext("/v2/", this::registry);
    server.setExecutor(executor);
    server.start();
  }

  /** {@code 127.0.0.1:PORT}. */
  String host() {
    return "127.0.0.1:" + server.getAddress().getPort();
  }

  /** Forgets every token, as when they expire: clients must come back for new ones. */
  void revokeAllTokens() {
    tokens.clear();
  }

  private void token(HttpExchange exchange) throws IOException {
    try (exchange) {
      String query = exchange.getRequestURI().getRawQuery();
      tokenQueries.add(query == null ? "" : URLDecoder.decode(query, StandardCharsets.UTF_8));
      String authorization = exchange.getRequestHeaders().getFirst("Authorization");
      String presented = "<none>";
      if (authorization != null && authorization.startsWith("Basic ")) {
        presented = new String(Base64.getDecoder().decode(authorization.substring(6)), StandardCharsets.UTF_8);
      }
      tokenCredentials.add(presented);
      List<String> scopes = new ArrayList<>();
      String service = null;
      if (query != null) {
        for (String pair : query.split("&")) {
          int eq = pair.indexOf('=');
          String name = eq < 0 ? pair : pair.substring(0, eq);
          String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
          if (name.equals("scope")) {
            scopes.add(value);
          } else if (name.equals("service")) {
            service = value;
          }
        }
      }
      if (!SERVICE.equals(service)) {
        send(exchange, 400, "{\"errors\":[{\"code\":\"DENIED\",\"message\":\"unknown service\"}]}");
        return;
      }
      if (!presented.equals(username + ":" + password)) {
        send(exchange, 401, "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"authentication required\"}]}");
        return;
      }
      String token = "tok-" + UUID.randomUUID();
      tokens.put(token, scopes);
      send(exchange, 200, "{\"token\":\"" + token + "\",\"access_token\":\"" + token + "\",\"expires_in\":300}");
    }
  }

  private void registry(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getRawPath();
      Matcher matcher = REPOSITORY_PATH.matcher(path);
      String repository = matcher.matches() ? matcher.group(1) : null;
      String authorization = exchange.getRequestHeaders().getFirst("Authorization");
      if (authorization != null) {
        registryAuthorizations.add(authorization);
      }
      if (!authorized(authorization, repository)) {
        challenged.incrementAndGet();
        String challenge = "Bearer realm=\"" + realmScheme + "://" + host() + "/token\",service=\"" + SERVICE + "\""
            + (repository == null ? "" : ",scope=\"repository:" + repository + ":pull\"");
        exchange.getResponseHeaders().set("WWW-Authenticate", challenge);
        exchange.getResponseHeaders().set("Docker-Distribution-API-Version", "registry/2.0");
        send(exchange, 401, "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"authentication required\"}]}");
        return;
      }
      if (!exchange.getRequestMethod().equals("GET")) {
        send(exchange, 405, "{\"errors\":[{\"code\":\"UNSUPPORTED\",\"message\":\"read-only proxy\"}]}");
        return;
      }
      forwarded.incrementAndGet();
      HttpRequest.Builder request = HttpRequest.newBuilder(upstream.resolve(exchange.getRequestURI().getRawPath()
          + (exchange.getRequestURI().getRawQuery() == null ? "" : "?" + exchange.getRequestURI().getRawQuery())))
          .timeout(Duration.ofSeconds(10)).GET();
      String accept = exchange.getRequestHeaders().getFirst("Accept");
      if (accept != null) {
        request.header("Accept", accept);
      }
      HttpResponse<InputStream> response;
      try {
        response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException(e);
      }
      response.headers().map().forEach((name, values) -> {
        if (!HOP_BY_HOP.contains(name.toLowerCase())) {
          exchange.getResponseHeaders().put(name, values);
        }
      });
      // Known length as is, none announced: chunked (0 to the JDK server), zero: no body (-1).
      long length = response.headers().firstValueAsLong("Content-Length").orElse(-1);
      exchange.sendResponseHeaders(response.statusCode(), length < 0 ? 0 : length == 0 ? -1 : length);
      try (InputStream body = response.body()) {
        body.transferTo(exchange.getResponseBody());
      }
    }
  }

  private boolean authorized(String authorization, String repository) {
    if (authorization == null || !authorization.startsWith("Bearer ")) {
      return false;
    }
    List<String> scopes = tokens.get(authorization.substring("Bearer ".length()));
    if (scopes == null) {
      return false;
    }
    if (repository == null) {
      return true; // GET /v2/: any valid token
    }
    for (String scope : scopes) {
      if (scope.startsWith("repository:" + repository + ":") && scope.substring(scope.lastIndexOf(':') + 1)
          .contains("pull")) {
        return true;
      }
    }
    return false;
  }

  private static void send(HttpExchange exchange, int status, String json) throws IOException {
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, body.length);
    exchange.getResponseBody().write(body);
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
