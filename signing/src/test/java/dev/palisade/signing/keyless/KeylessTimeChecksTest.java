package dev.palisade.signing.keyless;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.palisade.signing.SigningException;
import dev.palisade.signing.bundle.BundleJson;
import dev.palisade.signing.policy.Identity;
import dev.palisade.signing.verify.BundleRejection;
import dev.palisade.signing.verify.Failure;
import dev.palisade.testing.sigstore.LocalSigstore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checks we add on top of sigstore-java 2.0.0's KeylessVerifier (sigstore-conformance cases it misses or crashes on). */
class KeylessTimeChecksTest {

  static final String IDENTITY = "someone@palisade.test";
  static final String ISSUER = "https://issuer.palisade.test";
  static final List<Identity.Certificate> ACCEPTED = List.of(new Identity.Certificate(IDENTITY, null, ISSUER, null));

  final LocalSigstore sigstore = LocalSigstore.create();
  @TempDir Path dir;

  @Test
  void anEntryLoggedOutsideTheCertificatesValidityIsRefused() throws Exception {
    Path root = sigstore.writeTrustedRoot(dir.resolve("trusted_root.json"));
    KeylessBundleVerifier verifier = new KeylessBundleVerifier(root);
    byte[] sha256 = new byte[32];
    Instant issued = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofHours(2));

    byte[] inTime = sigstore.signBlob(IDENTITY, ISSUER, sha256, issued, issued.plus(Duration.ofMinutes(5)));
    assertTrue(verifier.verify(inTime, sha256, ACCEPTED).startsWith(IDENTITY));

    // The SET is genuine (the log signed this time); the certificate had expired by then.
    byte[] late = sigstore.signBlob(IDENTITY, ISSUER, sha256, issued, issued.plus(Duration.ofMinutes(30)));
    BundleRejection e = assertThrows(BundleRejection.class, () -> verifier.verify(late, sha256, ACCEPTED));
    assertEquals(Failure.SIGNATURE_INVALID, e.failure());
    assertTrue(e.getMessage().contains("outside its certificate's validity"), e.getMessage());
    byte[] early = sigstore.signBlob(IDENTITY, ISSUER, sha256, issued, issued.minus(Duration.ofMinutes(1)));
    assertThrows(BundleRejection.class, () -> verifier.verify(early, sha256, ACCEPTED));
  }

  @Test
  void anEmptyCertificateChainIsARefusalNotACrash() throws Exception {
    Path root = sigstore.writeTrustedRoot(dir.resolve("trusted_root.json"));
    byte[] sha256 = new byte[32];
    ObjectNode bundle = (ObjectNode) BundleJson.readTree(sigstore.signBlob(IDENTITY, ISSUER, sha256));
    ObjectNode material = (ObjectNode) bundle.get("verificationMaterial");
    material.remove("certificate");
    material.putObject("x509CertificateChain").putArray("certificates");
    BundleRejection e = assertThrows(BundleRejection.class,
        () -> new KeylessBundleVerifier(root).verify(BundleJson.MAPPER.writeValueAsBytes(bundle), sha256, ACCEPTED));
    assertEquals(Failure.SIGNATURE_INVALID, e.failure());
    assertTrue(e.getMessage().contains("empty certificate chain"), e.getMessage());
  }

  @Test
  void aTrustedRootWithoutAValidityStartIsRefused() throws Exception {
    Path root = sigstore.writeTrustedRoot(dir.resolve("trusted_root.json"));
    new KeylessBundleVerifier(root);
    ObjectNode json = (ObjectNode) BundleJson.readTree(Files.readAllBytes(root));
    ((ObjectNode) json.at("/tlogs/0/publicKey/validFor")).remove("start");
    Path malformed = dir.resolve("malformed.json");
    Files.write(malformed, BundleJson.MAPPER.writeValueAsBytes(json));
    SigningException e = assertThrows(SigningException.class, () -> new KeylessBundleVerifier(malformed));
    assertTrue(e.getMessage().contains("tlogs[0].publicKey.validFor.start is missing"), e.getMessage());
  }
}
