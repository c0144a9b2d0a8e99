package dev.palisade.signing.keyless;

import com.fasterxml.jackson.databind.JsonNode;
import dev.palisade.signing.SigningException;
import dev.palisade.signing.bundle.BundleJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Refuses a trusted root whose keys or authorities lack the start of their validity. The
 * protobuf-specs make {@code validFor.start} required; sigstore-java 2.0.0 reads a missing start as
 * the epoch, which turns a malformed root into "valid since forever" (sigstore-conformance case
 * {@code trust-root-tlog-missing-validity-start_fail}).
 */
final class TrustedRootValidity {

  private TrustedRootValidity() {}

  static void check(Path trustedRoot) throws SigningException {
    JsonNode root;
    try {
      root = BundleJson.readTree(Files.readAllBytes(trustedRoot));
    } catch (IOException e) {
      throw new SigningException("cannot read the Sigstore trusted root " + trustedRoot + ": " + e.getMessage(), e);
    }
    for (String logs : new String[] {"tlogs", "ctlogs"}) {
      JsonNode array = root.path(logs);
      for (int i = 0; i < array.size(); i++) {
        requireStart(array.get(i).path("publicKey").path("validFor"), trustedRoot, logs + "[" + i + "].publicKey");
      }
    }
    for (String authorities : new String[] {"certificateAuthorities", "timestampAuthorities"}) {
      JsonNode array = root.path(authorities);
      for (int i = 0; i < array.size(); i++) {
        requireStart(array.get(i).path("validFor"), trustedRoot, authorities + "[" + i + "]");
      }
    }
  }

  private static void requireStart(JsonNode validFor, Path file, String where) throws SigningException {
    if (validFor.path("start").asText("").isEmpty()) {
      throw new SigningException("the Sigstore trusted root " + file + " is malformed: " + where + ".validFor.start is missing");
    }
  }
}
