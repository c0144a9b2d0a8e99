package dev.palisade.gateway.config;

import dev.palisade.gateway.limits.RequestLimits;
import dev.palisade.gateway.secrets.Secret;
import dev.palisade.gateway.tls.PemFiles;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import javax.security.auth.x500.X500Principal;

/**
 * The security parts of the config: {@code auth:}, {@code limits:}, {@code server.tls:},
 * provider {@code tls:} and the consumer credentials other than a gateway key. Every file named
 * is read here, so a missing file, a wrong key password or a JWKS that does not parse stops the
 * gateway at start with the file and line of the setting.
 */
final class SecurityConfigParser {

  static final Set<String> CONSUMER_FIELDS =
      Set.of("jwt_claim", "client_cert_sha256", "client_cert_subject", "client_cert_san");

  private final SecretResolver secrets;
  private final Path baseDir;

  /** @param baseDir relative paths in the config are relative to the config file's directory */
  SecurityConfigParser(SecretResolver secrets, Path baseDir) {
    this.secrets = secrets;
    this.baseDir = baseDir;
  }

  // ---- limits -----------------------------------------------------------------------------

  RequestLimits limits(Optional<YamlNode> node, Optional<YamlNode> serverMaxBody) {
    RequestLimits d = RequestLimits.DEFAULT;
    long body = serverMaxBody.map(n -> n.longValue(1024, 1L << 30)).orElse(d.maxBodyBytes());
    if (node.isEmpty()) {
      return d.withMaxBodyBytes(body);
    }
    YamlNode.Fields f = node.get().fields(Set.of(
        "max_body_bytes", "max_header_bytes", "max_json_depth", "max_string_length",
        "max_json_tokens", "max_messages", "max_tools", "max_embedding_inputs"));
    if (f.has("max_body_bytes") && serverMaxBody.isPresent()) {
      throw f.required("max_body_bytes").error(
          "also set as server.max_body_bytes (line " + serverMaxBody.get().line() + "); keep one");
    }
    return new RequestLimits(
        f.optional("max_body_bytes").map(n -> n.longValue(1024, 1L << 30)).orElse(body),
        f.optional("max_header_bytes").map(n -> n.intValue(1024, 1 << 20)).orElse(d.maxHeaderBytes()),
        f.optional("max_json_depth").map(n -> n.intValue(4, 1000)).orElse(d.maxJsonDepth()),
        f.optional("max_string_length").map(n -> n.intValue(1024, 1 << 30)).orElse(d.maxStringLength()),
        f.optional("max_json_tokens").map(n -> n.longValue(100, 1L << 32)).orElse(d.maxJsonTokens()),
        f.optional("max_messages").map(n -> n.intValue(1, 1_000_000)).orElse(d.maxMessages()),
        f.optional("max_tools").map(n -> n.intValue(1, 100_000)).orElse(d.maxTools()),
        f.optional("max_embedding_inputs").map(n -> n.intValue(1, 1_000_000)).orElse(d.maxEmbeddingInputs()));
  }

  // ---- auth -------------------------------------------------------------------------------

  AuthConfig auth(Optional<YamlNode> node) {
    if (node.isEmpty()) {
      return AuthConfig.KEYS_ONLY;
    }
    YamlNode.Fields f = node.get().fields(Set.of("methods", "jwt", "client_cert"));
    Set<AuthMethod> methods = new LinkedHashSet<>();
    YamlNode methodsNode = f.required("methods");
    for (YamlNode m : methodsNode.items()) {
      AuthMethod method = authMethod(m);
      if (!methods.add(method)) {
        throw m.error("'" + method.configName() + "' is listed twice");
      }
    }
    if (methods.isEmpty()) {
      throw methodsNode.error("list at least one of key, jwt, client_cert");
    }
    JwtConfig jwt = null;
    if (methods.contains(AuthMethod.JWT)) {
      jwt = jwt(f.optional("jwt").orElseThrow(() -> methodsNode.error("method jwt needs an 'auth.jwt' section")));
    } else if (f.has("jwt")) {
      throw f.required("jwt").error("set, but 'jwt' is not in auth.methods");
    }
    CertMatch match = null;
    if (methods.contains(AuthMethod.CLIENT_CERT)) {
      match = f.optional("client_cert").map(this::certMatch).orElse(CertMatch.FINGERPRINT);
    } else if (f.has("client_cert")) {
      throw f.required("client_cert").error("set, but 'client_cert' is not in auth.methods");
    }
    return new AuthConfig(List.copyOf(methods), jwt, match);
  }

  /** client_cert needs a TLS listener that asks for certificates signed by a known CA. */
  void checkAuthAgainstServer(AuthConfig auth, Optional<YamlNode> authNode, ServerConfig server) {
    if (auth.accepts(AuthMethod.CLIENT_CERT)
        && (server.tls() == null || server.tls().clientAuth() == ClientAuthMode.NONE)) {
      throw authNode.orElseThrow().error(
          "method client_cert needs server.tls with client_ca_file and client_auth request or required");
    }
  }

  private static AuthMethod authMethod(YamlNode node) {
    String raw = node.nonBlankText();
    for (AuthMethod m : AuthMethod.values()) {
      if (m.configName().equals(raw)) {
        return m;
      }
    }
    throw node.error("expected one of key, jwt, client_cert, got '" + raw + "'");
  }

  private CertMatch certMatch(YamlNode node) {
    YamlNode.Fields f = node.fields(Set.of("match"));
    return f.optional("match").map(n -> {
      String raw = n.nonBlankText();
      for (CertMatch m : CertMatch.values()) {
        if (m.name().equalsIgnoreCase(raw)) {
          return m;
        }
      }
      throw n.error("expected one of fingerprint, subject, san, got '" + raw + "'");
    }).orElse(CertMatch.FINGERPRINT);
  }

  private JwtConfig jwt(YamlNode node) {
    YamlNode.Fields f = node.fields(Set.of(
        "jwks_file", "jwks_url", "jwks_ca_file", "issuer", "audience", "algorithms", "consumer_claim",
        "clock_skew", "jwks_cache_ttl", "jwks_refresh_min_interval", "jwks_fetch_timeout", "max_jwks_bytes"));
    if (f.has("jwks_file") == f.has("jwks_url")) {
      throw node.error("set exactly one of jwks_file and jwks_url");
    }
    long maxBytes = f.optional("max_jwks_bytes").map(n -> n.longValue(1024, 16L * 1024 * 1024)).orElse(256L * 1024);
    Path file = f.optional("jwks_file").map(this::existingFile).orElse(null);
    URI url = f.optional("jwks_url").map(SecurityConfigParser::jwksUrl).orElse(null);
    Path ca = f.optional("jwks_ca_file").map(this::certificateFile).orElse(null);
    if (ca != null && url == null) {
      throw f.required("jwks_ca_file").error("only used with jwks_url");
    }
    Set<String> algorithms = new LinkedHashSet<>();
    if (f.has("algorithms")) {
      for (YamlNode a : f.required("algorithms").items()) {
        String alg = a.nonBlankText();
        if (alg.equalsIgnoreCase("none") || alg.toUpperCase(Locale.ROOT).startsWith("HS")) {
          throw a.error("'" + alg + "' is never accepted: unsigned and shared-secret (HMAC) tokens"
              + " are refused; use an asymmetric algorithm such as RS256 or ES256");
        }
        if (!JwtConfig.SUPPORTED_ALGORITHMS.contains(alg)) {
          throw a.error("expected one of " + JwtConfig.SUPPORTED_ALGORITHMS.stream().sorted().toList() + ", got '" + alg + "'");
        }
        algorithms.add(alg);
      }
      if (algorithms.isEmpty()) {
        throw f.required("algorithms").error("list at least one algorithm");
      }
    } else {
      algorithms.addAll(List.of("RS256", "ES256"));
    }
    Duration skew = f.optional("clock_skew").map(YamlNode::duration).orElse(Duration.ofSeconds(30));
    if (skew.compareTo(Duration.ofMinutes(5)) > 0) {
      throw f.required("clock_skew").error("at most 5m: a larger skew keeps expired tokens alive");
    }
    Duration ttl = positive(f, "jwks_cache_ttl", Duration.ofMinutes(10));
    Duration minInterval = positive(f, "jwks_refresh_min_interval", Duration.ofSeconds(30));
    Duration timeout = positive(f, "jwks_fetch_timeout", Duration.ofSeconds(5));
    String claim = f.optional("consumer_claim").map(YamlNode::nonBlankText).orElse("sub");
    JwtConfig config = new JwtConfig(file, url, f.required("issuer").nonBlankText(),
        f.required("audience").nonBlankText(), algorithms, claim, skew, ttl, minInterval, timeout, maxBytes, ca);
    if (file != null) {
      checkJwksFile(f.required("jwks_file"), file, maxBytes);
    }
    return config;
  }

  private static Duration positive(YamlNode.Fields f, String name, Duration fallback) {
    Duration d = f.optional(name).map(YamlNode::duration).orElse(fallback);
    if (d.isZero()) {
      throw f.required(name).error("must be more than 0");
    }
    return d;
  }

  private static URI jwksUrl(YamlNode node) {
    URI url;
    try {
      url = new URI(node.nonBlankText());
    } catch (URISyntaxException e) {
      throw node.error("not a URL: " + e.getReason());
    }
    String host = url.getHost();
    boolean loopback = "127.0.0.1".equals(host) || "localhost".equals(host) || "[::1]".equals(host);
    if (host == null || !("https".equals(url.getScheme()) || ("http".equals(url.getScheme()) && loopback))) {
      throw node.error("expected an https:// URL (http:// only for 127.0.0.1 or localhost):"
          + " keys fetched over plain HTTP could be swapped on the way");
    }
    if (url.getUserInfo() != null) {
      throw node.error("must not carry user info");
    }
    return url;
  }

  /** Reads the JWKS file now: the gateway should not start with one it cannot use. */
  private static void checkJwksFile(YamlNode at, Path file, long maxBytes) {
    try {
      byte[] bytes = Files.readAllBytes(file);
      if (bytes.length > maxBytes) {
        throw at.error("the JWKS is larger than max_jwks_bytes (" + maxBytes + ")");
      }
      List<com.nimbusds.jose.jwk.JWK> keys = com.nimbusds.jose.jwk.JWKSet.parse(
          new String(bytes, java.nio.charset.StandardCharsets.UTF_8)).getKeys();
      if (keys.stream().noneMatch(k -> !(k instanceof com.nimbusds.jose.jwk.OctetSequenceKey))) {
        throw at.error("the JWKS holds no public key (symmetric 'oct' keys are ignored)");
      }
    } catch (java.io.IOException e) {
      throw at.error("cannot read " + file + ": " + e.getMessage());
    } catch (java.text.ParseException e) {
      throw at.error(file + " is not a valid JWKS: " + e.getMessage());
    }
  }

  // ---- TLS --------------------------------------------------------------------------------

  ServerTls serverTls(YamlNode node) {
    YamlNode.Fields f = node.fields(Set.of("cert_file", "key_file", "key_password", "client_ca_file", "client_auth"));
    Path cert = certificateFile(f.required("cert_file"));
    Path key = existingFile(f.required("key_file"));
    Secret password = f.optional("key_password").map(n -> secrets.resolve(n, "key password")).orElse(null);
    checkKey(f.required("key_file"), key, password);
    Path clientCa = f.optional("client_ca_file").map(this::certificateFile).orElse(null);
    ClientAuthMode mode = f.optional("client_auth").map(n -> {
      String raw = n.nonBlankText();
      for (ClientAuthMode m : ClientAuthMode.values()) {
        if (m.name().equalsIgnoreCase(raw)) {
          return m;
        }
      }
      throw n.error("expected one of none, request, required, got '" + raw + "'");
    }).orElse(clientCa == null ? ClientAuthMode.NONE : ClientAuthMode.REQUIRED);
    if (mode != ClientAuthMode.NONE && clientCa == null) {
      throw f.required("client_auth").error("client_auth " + mode.name().toLowerCase(Locale.ROOT)
          + " needs client_ca_file (the CA client certificates must chain to)");
    }
    if (mode == ClientAuthMode.NONE && clientCa != null) {
      throw f.required("client_ca_file").error("set, but client_auth is none");
    }
    return new ServerTls(cert, key, password, clientCa, mode);
  }

  UpstreamTls upstreamTls(YamlNode node, URI baseUrl) {
    YamlNode.Fields f = node.fields(Set.of("ca_file", "cert_file", "key_file", "key_password"));
    if (!"https".equals(baseUrl.getScheme())) {
      throw node.error("tls needs an https:// base_url");
    }
    Path ca = f.optional("ca_file").map(this::certificateFile).orElse(null);
    if (f.has("cert_file") != f.has("key_file")) {
      throw node.error("cert_file and key_file go together");
    }
    Path cert = f.optional("cert_file").map(this::certificateFile).orElse(null);
    Path key = f.optional("key_file").map(this::existingFile).orElse(null);
    Secret password = f.optional("key_password").map(n -> secrets.resolve(n, "key password")).orElse(null);
    if (password != null && key == null) {
      throw f.required("key_password").error("set, but there is no key_file");
    }
    if (key != null) {
      checkKey(f.required("key_file"), key, password);
    }
    if (ca == null && cert == null) {
      throw node.error("set ca_file, cert_file and key_file, or both");
    }
    return new UpstreamTls(ca, cert, key, password);
  }

  private void checkKey(YamlNode at, Path key, Secret password) {
    try {
      PemFiles.privateKeyPem(key, password);
    } catch (PemFiles.PemException e) {
      throw at.error(e.getMessage());
    }
  }

  private Path certificateFile(YamlNode node) {
    Path file = existingFile(node);
    try {
      PemFiles.certificates(file);
    } catch (PemFiles.PemException e) {
      throw node.error(e.getMessage());
    }
    return file;
  }

  private Path existingFile(YamlNode node) {
    Path file = baseDir.resolve(node.nonBlankText()).normalize();
    if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
      throw node.error("no readable file " + file);
    }
    return file;
  }

  // ---- consumers --------------------------------------------------------------------------

  /** The consumer's non-key credentials, each allowed only when its method is enabled. */
  ConsumerIdentities identities(YamlNode.Fields f, AuthConfig auth) {
    String claim = f.optional("jwt_claim").map(n -> {
      requireMethod(n, auth, AuthMethod.JWT);
      return n.nonBlankText();
    }).orElse(null);
    String sha = f.optional("client_cert_sha256").map(n -> {
      requireMatch(n, auth, CertMatch.FINGERPRINT);
      String hex = n.nonBlankText().replace(":", "").toLowerCase(Locale.ROOT);
      if (!hex.matches("[0-9a-f]{64}")) {
        throw n.error("expected the certificate's SHA-256 as 64 hex characters (colons allowed):"
            + " openssl x509 -in CERT -noout -fingerprint -sha256");
      }
      return hex;
    }).orElse(null);
    String subject = f.optional("client_cert_subject").map(n -> {
      requireMatch(n, auth, CertMatch.SUBJECT);
      try {
        return new X500Principal(n.nonBlankText()).getName(X500Principal.RFC2253);
      } catch (IllegalArgumentException e) {
        throw n.error("not a distinguished name such as 'CN=team-a,O=Example': " + e.getMessage());
      }
    }).orElse(null);
    String san = f.optional("client_cert_san").map(n -> {
      requireMatch(n, auth, CertMatch.SAN);
      return n.nonBlankText();
    }).orElse(null);
    if (f.has("key_sha256") && !auth.accepts(AuthMethod.KEY)) {
      throw f.required("key_sha256").error("set, but 'key' is not in auth.methods");
    }
    return new ConsumerIdentities(claim, sha, subject, san);
  }

  private static void requireMethod(YamlNode n, AuthConfig auth, AuthMethod method) {
    if (!auth.accepts(method)) {
      throw n.error("set, but '" + method.configName() + "' is not in auth.methods");
    }
  }

  private static void requireMatch(YamlNode n, AuthConfig auth, CertMatch match) {
    requireMethod(n, auth, AuthMethod.CLIENT_CERT);
    if (auth.certMatch() != match) {
      throw n.error("auth.client_cert.match is " + auth.certMatch().name().toLowerCase(Locale.ROOT)
          + "; this field is for match " + match.name().toLowerCase(Locale.ROOT));
    }
  }
}
