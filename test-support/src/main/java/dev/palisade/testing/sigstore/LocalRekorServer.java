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
 * its inclusion proof, checkpoint and SET, as Rekor does.
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
   * Rekor v2 ({@code POST /api/v2/log/entries}, DSSE requests): checks the envelope signature over
   * the PAE with the submitted certificate, logs a {@code dsse} 0.0.2 entry and answers with the
   * TransparencyLogEntry (inclusion proof and checkpoint; v2 has no SET).
   */
  private void handleV2(HttpExchange exchange) throws IOException {
    try (exchange) {
      JsonNode request;
      try {
        request = JSON.readTree(exchange.getRequestBody().readAllBytes()).path("dsseRequestV002");
      } catch (IOException e) {
        send(exchange, 400, "{\"message\":\"not JSON\"}");
        return;
      }
      byte[] payload;
      byte[] signature;
      byte[] certificateDer;
      String keyDetails;
      try {
        JsonNode envelope = request.path("envelope");
        payload = Base64.getDecoder().decode(envelope.path("payload").asText());
        String payloadType = envelope.path("payloadType").asText();
        if (envelope.path("signatures").size() != 1 || request.path("verifiers").size() != 1) {
          send(exchange, 400, "{\"message\":\"exactly one signature and one verifier\"}");
          return;
        }
        signature = Base64.getDecoder().decode(envelope.path("signatures").get(0).path("sig").asText());
        JsonNode verifier = request.path("verifiers").get(0);
        certificateDer = Base64.getDecoder().decode(verifier.at("/x509Certificate/rawBytes").asText());
        keyDetails = verifier.path("keyDetails").asText("PKIX_ECDSA_P256_SHA_256");
        X509Certificate certificate = (X509Certificate) CertificateFactory.getInstance("X.509")
            .generateCertificate(new ByteArrayInputStream(certificateDer));
        Signature check = Signature.getInstance("SHA256withECDSA");
        check.initVerify(certificate.getPublicKey());
        check.update(LocalSigstore.pae(payloadType, payload));
        if (!check.verify(signature)) {
          send(exchange, 400, "{\"message\":\"DSSE signature does not verify\"}");
          return;
        }
      } catch (Exception e) {
        send(exchange, 400, "{\"message\":\"invalid DSSE request\"}");
        return;
      }
      Map<String, Object> verifierBody = Map.of("keyDetails", keyDetails,
          "x509Certificate", Map.of("rawBytes", Base64.getEncoder().encodeToString(certificateDer)));
      Map<String, Object> spec = Map.of("dsseV002", Map.of(
          "payloadHash", Map.of("algorithm", "SHA2_256", "digest", Base64.getEncoder().encodeToString(EcKeys.sha256(payload))),
          "signatures", java.util.List.of(Map.of("content", Base64.getEncoder().encodeToString(signature), "verifier", verifierBody))));
      byte[] body = CANONICAL.writeValueAsBytes(Map.of("apiVersion", "0.0.2", "kind", "dsse", "spec", spec));
      LocalRekor.LoggedEntry entry = rekor.log(body, "dsse", "0.0.2", Instant.now().getEpochSecond());
      com.fasterxml.jackson.databind.node.ObjectNode response = entry.bundleEntry();
      response.remove("inclusionPromise");
      send(exchange, 201, JSON.writeValueAsString(response));
    }
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
