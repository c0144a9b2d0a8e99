package dev.palisade.signing.bundle;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Who signed, as the bundle claims it: a public-key hint, or a certificate chain (leaf first).
 * Transparency-log entries and timestamps are kept as the JSON they came in: only their verifier
 * (sigstore-java for keyless bundles) interprets them.
 *
 * @param publicKeyHint null for certificate bundles
 * @param certificates DER certificates, empty for key bundles
 * @param tlogEntries a JSON array, possibly empty
 * @param timestamps the {@code timestampVerificationData} object, possibly empty
 */
public record VerificationMaterial(String publicKeyHint, List<byte[]> certificates, JsonNode tlogEntries, JsonNode timestamps) {

  public VerificationMaterial {
    List<byte[]> copies = new ArrayList<>();
    for (byte[] certificate : certificates == null ? List.<byte[]>of() : certificates) {
      copies.add(certificate.clone());
    }
    certificates = List.copyOf(copies);
    if ((publicKeyHint == null) == certificates.isEmpty()) {
      throw new IllegalArgumentException("verification material needs exactly one of a public-key hint or certificates");
    }
    tlogEntries = tlogEntries == null ? BundleJson.MAPPER.createArrayNode() : tlogEntries.deepCopy();
    timestamps = timestamps == null ? BundleJson.MAPPER.createObjectNode() : timestamps.deepCopy();
  }

  public static VerificationMaterial publicKey(String hint) {
    return new VerificationMaterial(hint, List.of(), null, null);
  }

  public boolean isPublicKey() {
    return publicKeyHint != null;
  }

  @Override
  public List<byte[]> certificates() {
    List<byte[]> copies = new ArrayList<>();
    certificates.forEach(certificate -> copies.add(certificate.clone()));
    return copies;
  }

  @Override
  public JsonNode tlogEntries() {
    return tlogEntries.deepCopy();
  }

  @Override
  public JsonNode timestamps() {
    return timestamps.deepCopy();
  }
}
