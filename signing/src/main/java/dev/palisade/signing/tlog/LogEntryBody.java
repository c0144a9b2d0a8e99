package dev.palisade.signing.tlog;

import com.fasterxml.jackson.databind.JsonNode;
import dev.palisade.signing.bundle.BundleJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.cert.CertificateFactory;
import java.security.spec.X509EncodedKeySpec;
import java.io.ByteArrayInputStream;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

/**
 * What a Rekor entry's canonicalized body says was signed: the signed digest (the artifact's for
 * {@code hashedrekord}, the DSSE payload's for {@code dsse}), the signature and the verifying key.
 * Parsed strictly (duplicate keys refused) from the four body shapes sigstore-java also reads:
 * hashedrekord and dsse, 0.0.1 (Rekor v1: hex digests, PEM keys) and 0.0.2 (Rekor v2: protobuf
 * JSON, base64 digests, DER keys).
 */
record LogEntryBody(String kind, String apiVersion, byte[] digest, byte[] signature, byte[] verifierDer, boolean verifierIsCertificate) {

  static final String HASHEDREKORD = "hashedrekord";
  static final String DSSE = "dsse";

  /** Thrown for a body that is not one of the shapes above; the caller names the entry. */
  static final class BodyException extends Exception {
    private static final long serialVersionUID = 1L;

    BodyException(String message) {
      super(message, null, false, false);
    }
  }

  static LogEntryBody parse(byte[] canonicalizedBody) throws BodyException {
    JsonNode root;
    try {
      root = BundleJson.readTree(canonicalizedBody);
    } catch (IOException e) {
      throw new BodyException("its body is not JSON");
    }
    String kind = text(root, "kind");
    String apiVersion = text(root, "apiVersion");
    JsonNode spec = root.path("spec");
    return switch (kind + ":" + apiVersion) {
      case "hashedrekord:0.0.1" -> hashedRekordV001(spec);
      case "hashedrekord:0.0.2" -> hashedRekordV002(spec.path("hashedRekordV002"));
      case "dsse:0.0.1" -> dsseV001(spec);
      case "dsse:0.0.2" -> dsseV002(spec.path("dsseV002"));
      default -> throw new BodyException("its body is a " + kind + " " + apiVersion + " entry, which is not supported"
          + " (hashedrekord or dsse, 0.0.1 or 0.0.2)");
    };
  }

  private static LogEntryBody hashedRekordV001(JsonNode spec) throws BodyException {
    JsonNode hash = spec.at("/data/hash");
    if (!"sha256".equals(text(hash, "algorithm"))) {
      throw new BodyException("its body hashes with " + hash.path("algorithm").asText() + ", not sha256");
    }
    byte[] digest = hex(text(hash, "value"));
    byte[] signature = base64(text(spec.path("signature"), "content"));
    Verifier verifier = pem(base64(text(spec.at("/signature/publicKey"), "content")));
    return new LogEntryBody(HASHEDREKORD, "0.0.1", digest, signature, verifier.der, verifier.certificate);
  }

  private static LogEntryBody dsseV001(JsonNode spec) throws BodyException {
    JsonNode payloadHash = spec.path("payloadHash");
    if (!"sha256".equals(text(payloadHash, "algorithm"))) {
      throw new BodyException("its body hashes the payload with " + payloadHash.path("algorithm").asText() + ", not sha256");
    }
    JsonNode signatures = spec.path("signatures");
    if (!signatures.isArray() || signatures.size() != 1) {
      throw new BodyException("its body must hold exactly one signature");
    }
    JsonNode only = signatures.get(0);
    Verifier verifier = pem(base64(text(only, "verifier")));
    return new LogEntryBody(DSSE, "0.0.1", hex(text(payloadHash, "value")), base64(text(only, "signature")), verifier.der,
        verifier.certificate);
  }

  private static LogEntryBody hashedRekordV002(JsonNode spec) throws BodyException {
    JsonNode data = spec.path("data");
    if (!"SHA2_256".equals(text(data, "algorithm"))) {
      throw new BodyException("its body hashes with " + data.path("algorithm").asText() + ", not SHA2_256");
    }
    JsonNode signature = spec.path("signature");
    Verifier verifier = v2Verifier(signature.path("verifier"));
    return new LogEntryBody(HASHEDREKORD, "0.0.2", base64(text(data, "digest")), base64(text(signature, "content")), verifier.der,
        verifier.certificate);
  }

  private static LogEntryBody dsseV002(JsonNode spec) throws BodyException {
    JsonNode payloadHash = spec.path("payloadHash");
    if (!"SHA2_256".equals(text(payloadHash, "algorithm"))) {
      throw new BodyException("its body hashes the payload with " + payloadHash.path("algorithm").asText() + ", not SHA2_256");
    }
    JsonNode signatures = spec.path("signatures");
    if (!signatures.isArray() || signatures.size() != 1) {
      throw new BodyException("its body must hold exactly one signature");
    }
    JsonNode only = signatures.get(0);
    Verifier verifier = v2Verifier(only.path("verifier"));
    return new LogEntryBody(DSSE, "0.0.2", base64(text(payloadHash, "digest")), base64(text(only, "content")), verifier.der,
        verifier.certificate);
  }

  private record Verifier(byte[] der, boolean certificate) {}

  private static Verifier v2Verifier(JsonNode verifier) throws BodyException {
    boolean hasKey = verifier.has("publicKey");
    boolean hasCertificate = verifier.has("x509Certificate");
    if (hasKey == hasCertificate) {
      throw new BodyException("its body's verifier must be exactly one of publicKey or x509Certificate");
    }
    return new Verifier(base64(text(verifier.path(hasKey ? "publicKey" : "x509Certificate"), "rawBytes")), hasCertificate);
  }

  /** Rekor v1 bodies carry the verifier as PEM: a PUBLIC KEY (key signing) or a CERTIFICATE (keyless). */
  private static Verifier pem(byte[] pemBytes) throws BodyException {
    String pem = new String(pemBytes, StandardCharsets.US_ASCII).strip();
    for (String type : new String[] {"PUBLIC KEY", "CERTIFICATE"}) {
      String begin = "-----BEGIN " + type + "-----";
      String end = "-----END " + type + "-----";
      if (pem.startsWith(begin) && pem.endsWith(end)) {
        String body = pem.substring(begin.length(), pem.length() - end.length()).replaceAll("\\s", "");
        return new Verifier(base64(body), type.equals("CERTIFICATE"));
      }
    }
    throw new BodyException("its body's verifier is not one PEM public key or certificate");
  }

  /** Whether the body's verifier is {@code key} (a key, not a certificate that happens to hold it). */
  boolean verifierIs(PublicKey key) {
    if (verifierIsCertificate) {
      return false;
    }
    if (Arrays.equals(verifierDer, key.getEncoded())) {
      return true;
    }
    try {
      // Same key, other DER spelling (explicit curve parameters): compare as keys.
      return KeyFactory.getInstance(key.getAlgorithm()).generatePublic(new X509EncodedKeySpec(verifierDer)).equals(key);
    } catch (java.security.GeneralSecurityException e) {
      return false;
    }
  }

  /** A short description of the body's verifier, for errors. */
  String describeVerifier() {
    if (verifierIsCertificate) {
      try {
        var certificate = (java.security.cert.X509Certificate) CertificateFactory.getInstance("X.509")
            .generateCertificate(new ByteArrayInputStream(verifierDer));
        return "a certificate for " + certificate.getSubjectX500Principal().getName();
      } catch (java.security.GeneralSecurityException e) {
        return "a certificate";
      }
    }
    return "another public key";
  }

  private static String text(JsonNode parent, String field) throws BodyException {
    JsonNode node = parent.get(field);
    if (node == null || !node.isTextual() || node.textValue().isEmpty()) {
      throw new BodyException("its body lacks " + field);
    }
    return node.textValue();
  }

  private static byte[] hex(String text) throws BodyException {
    try {
      return HexFormat.of().parseHex(text);
    } catch (IllegalArgumentException e) {
      throw new BodyException("its body has a digest that is not hex");
    }
  }

  private static byte[] base64(String text) throws BodyException {
    try {
      return Base64.getDecoder().decode(text);
    } catch (IllegalArgumentException e) {
      throw new BodyException("its body has a field that is not base64");
    }
  }
}
