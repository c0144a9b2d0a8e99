package dev.palisade.testing.sigstore;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;

/**
 * Rekor's v1 REST API for {@code hashedrekord} 0.0.1 entries on 127.0.0.1: {@code POST
 * /api/v1/log/entries} checks the signature over the digest with the submitted certificate's key,
 * canonicalizes the entry, appends it to the {@link LocalRekor} tree and answers 201 with the entry,
 * its inclusion proof, checkpoint and SET, as Rekor does. Rekor v2's write API ({@code
 * hashedrekord} and {@code dsse} 0.0.2) is served beside it on the same tree.
 */
public final class LocalRekorServer implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ObjectMapper CANONICAL = new ObjectMapper().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

  private final HttpServer server;
  private LocalRekor rekor;
  private LocalTimestampAuthority tsa;

  LocalRekorServer() {
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext("/api/v1/log/entries", this::handle);
    server.createContext("/api/v2/log/entries", this::handleV2);
    server.createContext("/api/v1/timestamp", this::handleTimestamp);
  }

  /** Started after binding: the log signs checkpoints in the name of the URL it is served at. */
  void start(LocalRekor log, LocalTimestampAuthority timestamps) {
    this.rekor = log;
    this.tsa = timestamps;
    server.start();
  }

  /** The RFC 3161 endpoint (served here too: one loopback server is enough for tests). */
  public String timestampUrl() {
    return url() + "/api/v1/timestamp";
  }

  private void handleTimestamp(HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] response;
      try {
        response = tsa.respond(exchange.getRequestBody().readAllBytes());
      } catch (Exception e) {
        send(exchange, 400, "{\"message\":\"not a timestamp request\"}");
        return;
      }
      exchange.getResponseHeaders().set("Content-Type", "application/timestamp-reply");
      exchange.sendResponseHeaders(200, response.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(response);
      }
    }
  }

  /**
   * Rekor v2 ({@code POST /api/v2/log/entries}, a CreateEntryRequest in protobuf JSON), as rekor-tiles
   * serves it: a {@code hashedRekordRequestV002} (what sigstore-java's {@code sign} sends with Rekor
   * v2) has its signature over the digest checked, a {@code dsseRequestV002} ({@code attest}) its
   * signature over the PAE, each with the verifier's certificate or public key; the entry is logged
   * as {@code hashedrekord}/{@code dsse} 0.0.2 with the body rekor-tiles writes (the JCS-canonical
   * protobuf JSON of the Entry) and answered with the TransparencyLogEntry: inclusion proof and
   * checkpoint, but no SET and no integrated time, which Rekor v2 does not have.
   */
  private void handleV2(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (!"POST".equals(exchange.getRequestMethod())) {
        send(exchange, 405, "{\"message\":\"only POST is served here\"}");
        return;
      }
      JsonNode request;
      try {
        request = JSON.readTree(exchange.getRequestBody().readAllBytes());
      } catch (IOException e) {
        send(exchange, 400, "{\"message\":\"not JSON\"}");
        return;
      }
      JsonNode hashed = field(request, "hashedRekordRequestV002", "hashed_rekord_request_v002");
      JsonNode dsse = field(request, "dsseRequestV002", "dsse_request_v002");
      if ((hashed == null) == (dsse == null)) {
        send(exchange, 400, "{\"message\":\"exactly one of hashedRekordRequestV002 or dsseRequestV002\"}");
        return;
      }
      Map<String, Object> body;
      String kind;
      try {
        if (hashed != null) {
          kind = "hashedrekord";
          body = hashedRekordV002(hashed);
        } else {
          kind = "dsse";
          body = dsseV002(dsse);
        }
      } catch (RequestException e) {
        send(exchange, 400, "{\"message\":\"" + e.getMessage() + "\"}");
        return;
      }
      byte[] canonical = CANONICAL.writeValueAsBytes(Map.of("apiVersion", "0.0.2", "kind", kind, "spec", body));
      LocalRekor.LoggedEntry entry = rekor.log(canonical, kind, "0.0.2", 0);
      com.fasterxml.jackson.databind.node.ObjectNode response = entry.bundleEntry();
      response.remove("inclusionPromise");
      response.remove("integratedTime");
      send(exchange, 201, JSON.writeValueAsString(response));
    }
  }

  /** A bad request, answered 400 with this message (no user input is echoed). */
  private static final class RequestException extends Exception {
    private static final long serialVersionUID = 1L;

    RequestException(String message) {
      super(message, null, false, false);
    }
  }

  private static JsonNode field(JsonNode node, String jsonName, String protoName) {
    JsonNode value = node.get(jsonName);
    return value != null ? value : node.get(protoName);
  }

  private static Map<String, Object> hashedRekordV002(JsonNode request) throws RequestException {
    byte[] digest = base64(request.path("digest").asText(""), "digest");
    if (digest.length != 32) {
      throw new RequestException("digest must be a 32-byte SHA-256");
    }
    JsonNode signatureNode = request.path("signature");
    byte[] signature = base64(signatureNode.path("content").asText(""), "signature content");
    Verifier verifier = verifier(signatureNode.path("verifier"));
    if (!verifies("NONEwithECDSA", verifier.key(), digest, signature)) {
      throw new RequestException("signature does not verify over the digest");
    }
    return Map.of("hashedRekordV002", Map.of(
        "data", Map.of("algorithm", "SHA2_256", "digest", b64(digest)),
        "signature", Map.of("content", b64(signature), "verifier", verifier.body())));
  }

  private static Map<String, Object> dsseV002(JsonNode request) throws RequestException {
    JsonNode envelope = request.path("envelope");
    byte[] payload = base64(envelope.path("payload").asText(""), "payload");
    String payloadType = envelope.path("payloadType").asText("");
    if (payloadType.isEmpty() || envelope.path("signatures").size() != 1 || request.path("verifiers").size() != 1) {
      throw new RequestException("a DSSE request needs a payload type, exactly one signature and one verifier");
    }
    byte[] signature = base64(envelope.path("signatures").get(0).path("sig").asText(""), "signature");
    Verifier verifier = verifier(request.path("verifiers").get(0));
    if (!verifies("SHA256withECDSA", verifier.key(), LocalSigstore.pae(payloadType, payload), signature)) {
      throw new RequestException("DSSE signature does not verify");
    }
    return Map.of("dsseV002", Map.of(
        "payloadHash", Map.of("algorithm", "SHA2_256", "digest", b64(EcKeys.sha256(payload))),
        "signatures", java.util.List.of(Map.of("content", b64(signature), "verifier", verifier.body()))));
  }

  /** A request's verifier: the key to check with, and the verifier as the log entry records it. */
  private record Verifier(java.security.PublicKey key, Map<String, Object> body) {}

  private static Verifier verifier(JsonNode verifier) throws RequestException {
    String keyDetails = verifier.path("keyDetails").asText("");
    if (!"PKIX_ECDSA_P256_SHA_256".equals(keyDetails)) {
      throw new RequestException("only keyDetails PKIX_ECDSA_P256_SHA_256 is served here");
    }
    try {
      if (verifier.has("x509Certificate")) {
        byte[] der = base64(verifier.at("/x509Certificate/rawBytes").asText(""), "certificate");
        X509Certificate certificate = (X509Certificate) CertificateFactory.getInstance("X.509")
            .generateCertificate(new ByteArrayInputStream(der));
        return new Verifier(certificate.getPublicKey(), Map.of("keyDetails", keyDetails, "x509Certificate", Map.of("rawBytes", b64(der))));
      }
      if (verifier.has("publicKey")) {
        byte[] der = base64(verifier.at("/publicKey/rawBytes").asText(""), "public key");
        java.security.PublicKey key = java.security.KeyFactory.getInstance("EC").generatePublic(new java.security.spec.X509EncodedKeySpec(der));
        return new Verifier(key, Map.of("keyDetails", keyDetails, "publicKey", Map.of("rawBytes", b64(der))));
      }
    } catch (java.security.GeneralSecurityException e) {
      throw new RequestException("the verifier is not a valid certificate or public key");
    }
    throw new RequestException("the verifier needs x509Certificate or publicKey");
  }

  private static boolean verifies(String algorithm, java.security.PublicKey key, byte[] data, byte[] signature) {
    try {
      Signature check = Signature.getInstance(algorithm);
      check.initVerify(key);
      check.update(data);
      return check.verify(signature);
    } catch (java.security.GeneralSecurityException e) {
      return false;
    }
  }

  private static byte[] base64(String text, String what) throws RequestException {
    try {
      byte[] bytes = Base64.getDecoder().decode(text);
      if (bytes.length == 0) {
        throw new RequestException(what + " is missing");
      }
      return bytes;
    } catch (IllegalArgumentException e) {
      throw new RequestException(what + " is not base64");
    }
  }

  private static String b64(byte[] bytes) {
    return Base64.getEncoder().encodeToString(bytes);
  }

  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (!"POST".equals(exchange.getRequestMethod())) {
        send(exchange, 405, "{\"message\":\"only POST is served here\"}");
        return;
      }
      JsonNode request;
      try {
        request = JSON.readTree(exchange.getRequestBody().readAllBytes());
      } catch (IOException e) {
        send(exchange, 400, "{\"message\":\"not JSON\"}");
        return;
      }
      if (!"hashedrekord".equals(request.path("kind").asText()) || !"0.0.1".equals(request.path("apiVersion").asText())) {
        send(exchange, 400, "{\"message\":\"only hashedrekord 0.0.1 entries are accepted\"}");
        return;
      }
      try {
        byte[] digest = HexFormat.of().parseHex(request.at("/spec/data/hash/value").asText());
        byte[] signature = Base64.getDecoder().decode(request.at("/spec/signature/content").asText());
        byte[] pem = Base64.getDecoder().decode(request.at("/spec/signature/publicKey/content").asText());
        X509Certificate certificate = (X509Certificate) CertificateFactory.getInstance("X.509")
            .generateCertificate(new ByteArrayInputStream(pem));
        Signature verifier = Signature.getInstance("NONEwithECDSA");
        verifier.initVerify(certificate.getPublicKey());
        verifier.update(digest);
        if (digest.length != 32 || !verifier.verify(signature)) {
          send(exchange, 400, "{\"message\":\"signature does not verify\"}");
          return;
        }
      } catch (Exception e) {
        send(exchange, 400, "{\"message\":\"invalid hashedrekord entry\"}");
        return;
      }
      byte[] body = CANONICAL.writeValueAsBytes(JSON.convertValue(request, Map.class));
      LocalRekor.LoggedEntry entry = rekor.log(body, "hashedrekord", "0.0.1", Instant.now().getEpochSecond());
      exchange.getResponseHeaders().set("Location", "/api/v1/log/entries/" + entry.uuid());
      send(exchange, 201, JSON.writeValueAsString(entry.v1Response()));
    }
  }

  private static void send(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
