package dev.palisade.signing.bundle;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.palisade.signing.dsse.DsseEnvelope;
import dev.palisade.signing.dsse.DsseSignature;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;

/**
 * Sigstore bundle JSON (the protobuf-specs JSON mapping: camelCase, base64 bytes, empty fields
 * omitted). Parsing is strict: duplicate keys, unknown media types, a missing or doubled content
 * are refused, because two readers that disagree on what a bundle says is how signatures get
 * bypassed.
 */
public final class BundleJson {

  public static final ObjectMapper MAPPER = JsonMapper.builder()
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
      .build();
  /** Bundles are small; this bounds what a hostile registry can make us parse. */
  public static final int MAX_BUNDLE_BYTES = 4 * 1024 * 1024;

  private static final Set<String> MEDIA_TYPES = Set.of(
      "application/vnd.dev.sigstore.bundle+json;version=0.1",
      "application/vnd.dev.sigstore.bundle+json;version=0.2",
      "application/vnd.dev.sigstore.bundle+json;version=0.3",
      "application/vnd.dev.sigstore.bundle.v0.3+json");

  static {
    MAPPER.getFactory().setStreamReadConstraints(
        StreamReadConstraints.builder().maxNestingDepth(64).maxStringLength(MAX_BUNDLE_BYTES).build());
  }

  private BundleJson() {}

  public static JsonNode readTree(byte[] json) throws IOException {
    JsonNode node = MAPPER.readTree(json);
    if (node == null) {
      throw new IOException("empty document");
    }
    return node;
  }

  static byte[] write(SigstoreBundle bundle) {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("mediaType", bundle.mediaType());
    ObjectNode material = root.putObject("verificationMaterial");
    VerificationMaterial vm = bundle.material();
    if (vm.isPublicKey()) {
      material.putObject("publicKey").put("hint", vm.publicKeyHint());
    } else if (vm.certificates().size() == 1) {
      material.putObject("certificate").put("rawBytes", b64(vm.certificates().get(0)));
    } else {
      ArrayNode chain = material.putObject("x509CertificateChain").putArray("certificates");
      vm.certificates().forEach(der -> chain.addObject().put("rawBytes", b64(der)));
    }
    if (!vm.tlogEntries().isEmpty()) {
      material.set("tlogEntries", vm.tlogEntries());
    }
    if (!vm.timestamps().isEmpty()) {
      material.set("timestampVerificationData", vm.timestamps());
    }
    if (bundle.dsse() != null) {
      DsseEnvelope envelope = bundle.dsse();
      ObjectNode dsse = root.putObject("dsseEnvelope");
      dsse.put("payload", b64(envelope.payload()));
      dsse.put("payloadType", envelope.payloadType());
      ArrayNode signatures = dsse.putArray("signatures");
      for (DsseSignature signature : envelope.signatures()) {
        ObjectNode node = signatures.addObject();
        node.put("sig", b64(signature.sig()));
        if (!signature.keyid().isEmpty()) {
          node.put("keyid", signature.keyid());
        }
      }
    } else {
      ObjectNode message = root.putObject("messageSignature");
      ObjectNode digest = message.putObject("messageDigest");
      digest.put("algorithm", "SHA2_256");
      digest.put("digest", b64(bundle.messageSignature().sha256()));
      message.put("signature", b64(bundle.messageSignature().signature()));
    }
    try {
      return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("serialising a bundle failed", e);
    }
  }

  /** Parses a bundle; {@code what} names the document in errors. */
  public static SigstoreBundle parse(byte[] json, String what) throws BundleFormatException {
    if (json.length > MAX_BUNDLE_BYTES) {
      throw new BundleFormatException(what + " is " + json.length + " bytes, over the bundle limit of " + MAX_BUNDLE_BYTES);
    }
    JsonNode root;
    try {
      root = readTree(json);
    } catch (IOException e) {
      throw new BundleFormatException(what + " is not valid JSON: " + firstLine(e.getMessage()));
    }
    if (!root.isObject()) {
      throw new BundleFormatException(what + " is not a JSON object");
    }
    String mediaType = root.path("mediaType").asText("");
    if (!MEDIA_TYPES.contains(mediaType)) {
      throw new BundleFormatException(what + " has an unsupported bundle mediaType '" + mediaType + "'");
    }
    JsonNode materialNode = object(root, "verificationMaterial", what);
    VerificationMaterial material = material(materialNode, what);
    boolean hasDsse = root.has("dsseEnvelope");
    boolean hasMessage = root.has("messageSignature");
    if (hasDsse == hasMessage) {
      throw new BundleFormatException(what + " must hold exactly one of dsseEnvelope or messageSignature");
    }
    if (hasDsse) {
      JsonNode dsse = object(root, "dsseEnvelope", what);
      String payloadType = text(dsse, "payloadType", what);
      byte[] payload = base64(dsse, "payload", what);
      JsonNode signatureArray = dsse.get("signatures");
      if (signatureArray == null || !signatureArray.isArray() || signatureArray.isEmpty()) {
        throw new BundleFormatException(what + ": dsseEnvelope has no signatures");
      }
      List<DsseSignature> signatures = new ArrayList<>();
      for (JsonNode signature : signatureArray) {
        signatures.add(new DsseSignature(signature.path("keyid").asText(""), base64(signature, "sig", what)));
      }
      return new SigstoreBundle(mediaType, material, new DsseEnvelope(payloadType, payload, signatures), null);
    }
    JsonNode message = object(root, "messageSignature", what);
    JsonNode digest = object(message, "messageDigest", what);
    String algorithm = text(digest, "algorithm", what);
    if (!"SHA2_256".equals(algorithm)) {
      throw new BundleFormatException(what + ": message digest algorithm " + algorithm + " is not supported (only SHA2_256)");
    }
    byte[] sha256 = base64(digest, "digest", what);
    if (sha256.length != 32) {
      throw new BundleFormatException(what + ": message digest is not 32 bytes");
    }
    return new SigstoreBundle(mediaType, material, null, new MessageSignature(sha256, base64(message, "signature", what)));
  }

  private static VerificationMaterial material(JsonNode node, String what) throws BundleFormatException {
    int kinds = (node.has("publicKey") ? 1 : 0) + (node.has("certificate") ? 1 : 0) + (node.has("x509CertificateChain") ? 1 : 0);
    if (kinds != 1) {
      throw new BundleFormatException(what + ": verificationMaterial must hold exactly one of publicKey, certificate, x509CertificateChain");
    }
    JsonNode tlog = node.path("tlogEntries");
    JsonNode timestamps = node.path("timestampVerificationData");
    if (!tlog.isMissingNode() && !tlog.isArray()) {
      throw new BundleFormatException(what + ": tlogEntries is not an array");
    }
    JsonNode tlogEntries = tlog.isMissingNode() ? null : tlog;
    JsonNode timestampData = timestamps.isMissingNode() ? null : timestamps;
    if (node.has("publicKey")) {
      JsonNode key = object(node, "publicKey", what);
      return new VerificationMaterial(key.path("hint").asText(""), List.of(), tlogEntries, timestampData);
    }
    List<byte[]> certificates = new ArrayList<>();
    if (node.has("certificate")) {
      certificates.add(base64(object(node, "certificate", what), "rawBytes", what));
    } else {
      JsonNode array = object(node, "x509CertificateChain", what).path("certificates");
      if (!array.isArray() || array.isEmpty()) {
        throw new BundleFormatException(what + ": x509CertificateChain has no certificates");
      }
      for (JsonNode certificate : array) {
        certificates.add(base64(certificate, "rawBytes", what));
      }
    }
    return new VerificationMaterial(null, certificates, tlogEntries, timestampData);
  }

  private static JsonNode object(JsonNode parent, String field, String what) throws BundleFormatException {
    JsonNode node = parent.get(field);
    if (node == null || !node.isObject()) {
      throw new BundleFormatException(what + ": " + field + " is missing or not an object");
    }
    return node;
  }

  private static String text(JsonNode parent, String field, String what) throws BundleFormatException {
    JsonNode node = parent.get(field);
    if (node == null || !node.isTextual() || node.textValue().isEmpty()) {
      throw new BundleFormatException(what + ": " + field + " is missing or not a string");
    }
    return node.textValue();
  }

  private static byte[] base64(JsonNode parent, String field, String what) throws BundleFormatException {
    String text = text(parent, field, what);
    try {
      // Standard alphabet first (protobuf JSON writes it); URL-safe is accepted on read as protobuf does.
      return text.indexOf('-') >= 0 || text.indexOf('_') >= 0
          ? Base64.getUrlDecoder().decode(text) : Base64.getDecoder().decode(text);
    } catch (IllegalArgumentException e) {
      throw new BundleFormatException(what + ": " + field + " is not valid base64");
    }
  }

  private static String b64(byte[] bytes) {
    return Base64.getEncoder().encodeToString(bytes);
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "parse error";
    }
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
