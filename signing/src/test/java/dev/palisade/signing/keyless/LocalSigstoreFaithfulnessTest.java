package dev.palisade.signing.keyless;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.palisade.oci.digest.Digest;
import dev.palisade.signing.dsse.DsseEnvelope;
import dev.palisade.signing.intoto.PredicateTypes;
import dev.palisade.signing.intoto.Statement;
import dev.palisade.signing.policy.Identity;
import dev.palisade.signing.verify.BundleRejection;
import dev.palisade.signing.verify.Failure;
import dev.palisade.testing.sigstore.LocalSigstore;
import dev.sigstore.KeylessVerifier;
import dev.sigstore.TrustedRootProvider;
import dev.sigstore.VerificationOptions;
import dev.sigstore.bundle.Bundle;
import dev.sigstore.strings.StringMatcher;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local Sigstore is only useful if it is faithful: sigstore-java's unmodified KeylessVerifier,
 * given the stack's trusted root, must accept its bundles, and refuse them under another root.
 */
class LocalSigstoreFaithfulnessTest {

  static final String IDENTITY = "https://github.com/palisade-dev/palisade/.github/workflows/release.yml@refs/tags/v1.0.0";
  static final String ISSUER = "https://token.actions.githubusercontent.com";
  static final Digest IMAGE = Digest.parse("sha256:" + "cd".repeat(32));

  @TempDir Path dir;

  private static VerificationOptions identity(String san, String issuer) {
    return VerificationOptions.builder().addCertificateMatchers(VerificationOptions.CertificateMatcher.fulcio()
        .subjectAlternativeName(StringMatcher.string(san)).issuer(StringMatcher.string(issuer)).build()).build();
  }

  @Test
  void keylessVerifierAcceptsDsseBundlesOnlyUnderTheStacksRoot() throws Exception {
    LocalSigstore sigstore = LocalSigstore.create();
    Path root = sigstore.writeTrustedRoot(dir.resolve("trusted_root.json"));
    byte[] statement = Statement.about("app", IMAGE, PredicateTypes.COSIGN_SIGN, null).toJson();
    // Several entries, so inclusion proofs have real paths.
    for (int i = 0; i < 4; i++) {
      sigstore.signDsse(IDENTITY, ISSUER, DsseEnvelope.IN_TOTO_PAYLOAD_TYPE, ("{\"n\":" + i + "}").getBytes(StandardCharsets.UTF_8));
    }
    byte[] json = sigstore.signDsse(IDENTITY, ISSUER, DsseEnvelope.IN_TOTO_PAYLOAD_TYPE, statement);
    Bundle bundle = Bundle.from(new StringReader(new String(json, StandardCharsets.UTF_8)));
    KeylessVerifier verifier = KeylessVerifier.builder().trustedRootProvider(TrustedRootProvider.from(root)).build();
    byte[] digest = HexFormat.of().parseHex(IMAGE.hex());
    verifier.verify(digest, bundle, identity(IDENTITY, ISSUER));

    assertThrows(Exception.class, () -> verifier.verify(digest, bundle, identity(IDENTITY, "https://accounts.google.com")));
    assertThrows(Exception.class, () -> verifier.verify(HexFormat.of().parseHex("ee".repeat(32)), bundle, VerificationOptions.empty()));
    Path otherRoot = LocalSigstore.create().writeTrustedRoot(dir.resolve("other_root.json"));
    KeylessVerifier other = KeylessVerifier.builder().trustedRootProvider(TrustedRootProvider.from(otherRoot)).build();
    assertThrows(Exception.class, () -> other.verify(digest, bundle, VerificationOptions.empty()));

    // Our wrapper: accepted identity; refused identity, and another stack's CA.
    String signer = new KeylessBundleVerifier(root).verify(json, digest, List.of(new Identity.Certificate(IDENTITY, null, ISSUER, null)));
    assertTrue(signer.contains(IDENTITY) && signer.contains(ISSUER), signer);
    BundleRejection wrongIssuer = assertThrows(BundleRejection.class, () -> new KeylessBundleVerifier(root)
        .verify(json, digest, List.of(new Identity.Certificate(IDENTITY, null, "https://accounts.google.com", null))));
    assertEquals(Failure.SIGNER_NOT_TRUSTED, wrongIssuer.failure());
    BundleRejection untrustedCa = assertThrows(BundleRejection.class, () -> new KeylessBundleVerifier(otherRoot)
        .verify(json, digest, List.of(new Identity.Certificate(IDENTITY, null, ISSUER, null))));
    assertEquals(Failure.SIGNER_NOT_TRUSTED, untrustedCa.failure(), untrustedCa.getMessage());
  }

  @Test
  void keylessVerifierAcceptsBlobBundles() throws Exception {
    LocalSigstore sigstore = LocalSigstore.create();
    Path root = sigstore.writeTrustedRoot(dir.resolve("trusted_root.json"));
    byte[] sha256 = java.security.MessageDigest.getInstance("SHA-256").digest("release file".getBytes(StandardCharsets.UTF_8));
    byte[] json = sigstore.signBlob("release@palisade.test", "https://issuer.palisade.test", sha256);
    Bundle bundle = Bundle.from(new StringReader(new String(json, StandardCharsets.UTF_8)));
    KeylessVerifier.builder().trustedRootProvider(TrustedRootProvider.from(root)).build()
        .verify(sha256, bundle, identity("release@palisade.test", "https://issuer.palisade.test"));
  }
}
