package dev.palisade.signing.tlog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.palisade.oci.digest.Digest;
import dev.palisade.oci.manifest.Descriptor;
import dev.palisade.signing.bundle.BundleJson;
import dev.palisade.signing.bundle.SigstoreBundle;
import dev.palisade.signing.bundle.VerificationMaterial;
import dev.palisade.signing.keyless.KeylessBundleVerifier;
import dev.palisade.signing.keys.KeyPairs;
import dev.palisade.signing.oci.LayoutReferrerStore;
import dev.palisade.signing.policy.Identity;
import dev.palisade.signing.policy.PolicyRule;
import dev.palisade.signing.sign.Attester;
import dev.palisade.signing.sign.KeyArtifactSigner;
import dev.palisade.signing.verify.Failure;
import dev.palisade.signing.verify.ImageVerification;
import dev.palisade.signing.verify.ImageVerifier;
import dev.palisade.signing.verify.TrustedKey;
import dev.palisade.signing.verify.VerificationException;
import dev.palisade.testing.sigstore.LocalSigstore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The trust policy's {@code transparencyLog} setting for key identities, through ImageVerifier on an OCI layout. */
class KeyBundlePolicyTest {

  final KeyPair pair = KeyPairs.generate();
  final LocalSigstore sigstore = LocalSigstore.create();
  @TempDir Path dir;

  /** A layout holding one (content-free) image manifest, its digest, and the signed bundle attached. */
  Digest layoutWith(Path layout, SigstoreBundle bundle) throws Exception {
    byte[] manifest = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\"}".getBytes(StandardCharsets.UTF_8);
    Digest digest = Digest.sha256(manifest);
    Files.createDirectories(layout.resolve("blobs/sha256"));
    Files.write(layout.resolve("blobs/sha256/" + digest.hex()), manifest);
    Files.writeString(layout.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
    Files.writeString(layout.resolve("index.json"), "{\"schemaVersion\":2,\"manifests\":[]}");
    Descriptor subject = Descriptor.of("application/vnd.oci.image.manifest.v1+json", digest, manifest.length);
    new LayoutReferrerStore(layout).attach(subject, bundle, Instant.EPOCH);
    return digest;
  }

  PolicyRule rule(boolean tlogRequired) {
    return new PolicyRule("release", List.of("**"), List.of(new Identity.Key(new TrustedKey("release.pub", pair.getPublic()))),
        tlogRequired, List.of(), null);
  }

  @Test
  void aRequiredLogRefusesKeyBundlesWithoutAnEntryAndAcceptsThemWithAVerifiedOne() throws Exception {
    Path root = sigstore.writeTrustedRoot(dir.resolve("trusted_root.json"));
    ImageVerifier verifier = new ImageVerifier(() -> new KeylessBundleVerifier(root));
    KeyArtifactSigner signer = new KeyArtifactSigner(pair.getPrivate(), pair.getPublic());

    // Bundles are about the layout's image digest, which depends only on the fixed manifest bytes.
    Digest image = Digest.sha256("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\"}"
        .getBytes(StandardCharsets.UTF_8));
    SigstoreBundle unlogged = new Attester(signer).signImage("reg/app", image);
    Path plain = dir.resolve("plain");
    layoutWith(plain, unlogged);
    assertNull(verifier.verify(new LayoutReferrerStore(plain), image, rule(false)).signatures().get(0).signedAt());
    VerificationException refused = assertThrows(VerificationException.class,
        () -> verifier.verify(new LayoutReferrerStore(plain), image, rule(true)));
    assertEquals(Failure.SIGNER_NOT_TRUSTED, refused.failure());
    assertTrue(String.join("\n", refused.details()).contains("has no transparency-log entry, which policy 'release' requires"),
        refused.details().toString());

    ObjectNode entry = sigstore.logKeySigned("dsse", "0.0.1", sha256(unlogged.dsse().payload()),
        unlogged.dsse().signatures().get(0).sig(), pair.getPublic());
    SigstoreBundle logged = withEntry(unlogged, entry);
    Path withLog = dir.resolve("logged");
    layoutWith(withLog, logged);
    ImageVerification ok = verifier.verify(new LayoutReferrerStore(withLog), image, rule(true));
    assertNotNull(ok.signatures().get(0).signedAt(), "the SET-vouched integrated time is shown");

    // An entry that does not verify is refused even where the policy does not require one.
    entry.put("integratedTime", Long.toString(entry.path("integratedTime").asLong() + 1));
    Path forged = dir.resolve("forged");
    layoutWith(forged, withEntry(unlogged, entry));
    VerificationException broken = assertThrows(VerificationException.class,
        () -> verifier.verify(new LayoutReferrerStore(forged), image, rule(false)));
    assertEquals(Failure.SIGNATURE_INVALID, broken.failure());
    assertTrue(String.join("\n", broken.details()).contains("SET was not valid"), broken.details().toString());
  }

  static SigstoreBundle withEntry(SigstoreBundle bundle, ObjectNode entry) {
    var array = BundleJson.MAPPER.createArrayNode().add(entry);
    return new SigstoreBundle(bundle.mediaType(), new VerificationMaterial(bundle.material().publicKeyHint(), List.of(), array, null),
        bundle.dsse(), null);
  }

  static byte[] sha256(byte[] data) throws Exception {
    return MessageDigest.getInstance("SHA-256").digest(data);
  }
}
