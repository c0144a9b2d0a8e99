package dev.palisade.signing.tlog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.palisade.oci.digest.Digest;
import dev.palisade.signing.bundle.BundleJson;
import dev.palisade.signing.bundle.SigstoreBundle;
import dev.palisade.signing.bundle.VerificationMaterial;
import dev.palisade.signing.dsse.DsseEnvelope;
import dev.palisade.signing.dsse.DsseSignature;
import dev.palisade.signing.keyless.KeylessBundleVerifier;
import dev.palisade.signing.keys.KeyPairs;
import dev.palisade.signing.sign.Attester;
import dev.palisade.signing.sign.KeyArtifactSigner;
import dev.palisade.signing.verify.BundleRejection;
import dev.palisade.signing.verify.Failure;
import dev.palisade.testing.sigstore.LocalSigstore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Transparency-log entries in key-signed bundles. Every tampering test changes exactly one thing
 * about an otherwise valid entry and asserts the check that must catch it, so a check that stops
 * working makes its test fail rather than some other check silently covering for it.
 */
class KeyBundleLogEntryTest {

  static final Digest IMAGE = Digest.parse("sha256:" + "cd".repeat(32));
  static final byte[] ARTIFACT_SHA256 = sha256("release file".getBytes(StandardCharsets.UTF_8));

  final KeyPair pair = KeyPairs.generate();
  final KeyPair other = KeyPairs.generate();
  final LocalSigstore sigstore = LocalSigstore.create();
  KeyArtifactSigner signer;
  LogEntryVerifier verifier;
  Path root;

  @TempDir Path dir;

  @BeforeEach
  void setUp() throws Exception {
    signer = new KeyArtifactSigner(pair.getPrivate(), pair.getPublic());
    root = sigstore.writeTrustedRoot(dir.resolve("trusted_root.json"));
    verifier = new KeylessBundleVerifier(root).logEntries();
  }

  // ---- bundles and entries

  SigstoreBundle blob() throws Exception {
    return signer.signDigest(ARTIFACT_SHA256);
  }

  SigstoreBundle image() throws Exception {
    return new Attester(signer).signImage("reg/app", IMAGE);
  }

  /** An honest entry for the bundle's own content, in the given body version. */
  ObjectNode entryFor(SigstoreBundle bundle, String version) {
    if (bundle.messageSignature() != null) {
      return sigstore.logKeySigned("hashedrekord", version, bundle.messageSignature().sha256(), bundle.messageSignature().signature(),
          pair.getPublic());
    }
    return sigstore.logKeySigned("dsse", version, sha256(bundle.dsse().payload()), bundle.dsse().signatures().get(0).sig(),
        pair.getPublic());
  }

  static SigstoreBundle withEntries(SigstoreBundle bundle, JsonNode... entries) {
    ArrayNode array = BundleJson.MAPPER.createArrayNode();
    for (JsonNode entry : entries) {
      array.add(entry);
    }
    VerificationMaterial material = new VerificationMaterial(bundle.material().publicKeyHint(), List.of(), array, null);
    return new SigstoreBundle(bundle.mediaType(), material, bundle.dsse(), bundle.messageSignature());
  }

  BundleRejection refused(SigstoreBundle bundle, Failure failure, String reason) {
    BundleRejection e = assertThrows(BundleRejection.class, () -> verifier.verify(bundle, pair.getPublic(), false));
    assertEquals(failure, e.failure(), e.getMessage());
    assertTrue(e.getMessage().contains(reason), "expected '" + reason + "' in: " + e.getMessage());
    return e;
  }

  // ---- accepted

  @ParameterizedTest
  @ValueSource(strings = {"0.0.1", "0.0.2"})
  void acceptsHashedRekordAndDsseEntriesOfRekorV1AndV2(String version) throws Exception {
    for (SigstoreBundle bundle : List.of(blob(), image())) {
      SigstoreBundle logged = withEntries(bundle, entryFor(bundle, version));
      // Through JSON and back, as bundles travel.
      SigstoreBundle reread = BundleJson.parse(logged.toJson(), "bundle");
      LogEntryVerifier.Logged result = verifier.verify(reread, pair.getPublic(), true);
      assertEquals(1, result.entries());
      if (version.equals("0.0.1")) {
        assertNotNull(result.time(), "a v1 entry's SET vouches for its integrated time");
        assertTrue(Math.abs(result.time().getEpochSecond() - Instant.now().getEpochSecond()) < 60);
      } else {
        assertNull(result.time(), "Rekor v2 entries carry no integrated time, and there is no timestamp here");
      }
    }
  }

  @Test
  void noEntryPassesOnlyWhenTheLogIsNotRequired() throws Exception {
    assertEquals(0, verifier.verify(blob(), pair.getPublic(), false).entries());
    BundleRejection e = assertThrows(BundleRejection.class, () -> verifier.verify(blob(), pair.getPublic(), true));
    assertEquals(Failure.SIGNER_NOT_TRUSTED, e.failure());
    assertTrue(e.getMessage().contains("no transparency-log entry"), e.getMessage());
  }

  // ---- the body must record this bundle

  @Test
  void refusesAnEntryForAnotherSignatureOfTheSameArtifact() throws Exception {
    SigstoreBundle bundle = blob();
    SigstoreBundle again = blob(); // ECDSA is randomised: same key, same digest, other signature bytes
    refused(withEntries(bundle, entryFor(again, "0.0.1")), Failure.SIGNATURE_INVALID, "records another signature");
    refused(withEntries(bundle, entryFor(again, "0.0.2")), Failure.SIGNATURE_INVALID, "records another signature");
  }

  @Test
  void refusesAnEntryForAnotherArtifact() throws Exception {
    SigstoreBundle bundle = blob();
    byte[] otherDigest = sha256("another file".getBytes(StandardCharsets.UTF_8));
    ObjectNode entry = sigstore.logKeySigned("hashedrekord", "0.0.1", otherDigest, bundle.messageSignature().signature(), pair.getPublic());
    refused(withEntries(bundle, entry), Failure.SIGNATURE_INVALID, "records another artifact digest");
    SigstoreBundle statement = image();
    ObjectNode dsse = sigstore.logKeySigned("dsse", "0.0.2", otherDigest, statement.dsse().signatures().get(0).sig(), pair.getPublic());
    refused(withEntries(statement, dsse), Failure.SIGNATURE_INVALID, "records another payload digest");
  }

  @Test
  void refusesAnEntryNamingAnotherKey() throws Exception {
    SigstoreBundle bundle = blob();
    for (String version : List.of("0.0.1", "0.0.2")) {
      ObjectNode entry = sigstore.logKeySigned("hashedrekord", version, ARTIFACT_SHA256, bundle.messageSignature().signature(),
          other.getPublic());
      refused(withEntries(bundle, entry), Failure.SIGNATURE_INVALID, "records another public key");
    }
  }

  @Test
  void refusesAnEntryWhoseKindVersionDisagreesWithItsBodyOrTheBundle() throws Exception {
    SigstoreBundle bundle = blob();
    ObjectNode relabelled = entryFor(bundle, "0.0.1");
    ((ObjectNode) relabelled.get("kindVersion")).put("version", "0.0.2");
    refused(withEntries(bundle, relabelled), Failure.SIGNATURE_INVALID, "claims kind hashedrekord 0.0.2 but its body is hashedrekord 0.0.1");

    SigstoreBundle statement = image();
    ObjectNode hashedForDsse = sigstore.logKeySigned("hashedrekord", "0.0.1", sha256(statement.dsse().payload()),
        statement.dsse().signatures().get(0).sig(), pair.getPublic());
    refused(withEntries(statement, hashedForDsse), Failure.SIGNATURE_INVALID, "is a hashedrekord entry; this bundle's content needs a dsse entry");
  }

  @Test
  void refusesABodyThatMatchesTheBundleButIsNotTheLeafTheProofIsFor() throws Exception {
    SigstoreBundle bundle = blob();
    // A real entry (valid proof, checkpoint, SET) for another signature, with its body swapped for one
    // that records this bundle: the body check passes, the log's proofs must not.
    ObjectNode entry = entryFor(blob(), "0.0.1");
    String forged = LocalSigstore.keySignedBody("hashedrekord", "0.0.1", ARTIFACT_SHA256, bundle.messageSignature().signature(),
        pair.getPublic());
    entry.put("canonicalizedBody", b64(forged.getBytes(StandardCharsets.UTF_8)));
    refused(withEntries(bundle, entry), Failure.SIGNATURE_INVALID, "SET was not valid");
    entry.remove("inclusionPromise"); // without a SET the inclusion proof must still catch it
    refused(withEntries(bundle, entry), Failure.SIGNATURE_INVALID, "Inclusion proof verification failed");
  }

  // ---- the log's proofs

  @Test
  void refusesATamperedInclusionProof() throws Exception {
    SigstoreBundle bundle = blob();
    entryFor(blob(), "0.0.1"); // a later entry, so the proof has more than one hash
    ObjectNode entry = entryFor(bundle, "0.0.2");
    ArrayNode hashes = (ArrayNode) entry.at("/inclusionProof/hashes");
    assertTrue(hashes.size() > 0);
    hashes.set(0, BundleJson.MAPPER.getNodeFactory().textNode(b64(flip(Base64.getDecoder().decode(hashes.get(0).asText())))));
    refused(withEntries(bundle, entry), Failure.SIGNATURE_INVALID, "Inclusion proof verification failed");
  }

  @Test
  void refusesAProofForAnotherLeafIndex() throws Exception {
    SigstoreBundle bundle = blob();
    ObjectNode entry = entryFor(bundle, "0.0.2");
    ObjectNode proof = (ObjectNode) entry.get("inclusionProof");
    proof.put("logIndex", Long.toString(proof.path("logIndex").asLong() - 1));
    refused(withEntries(bundle, entry), Failure.SIGNATURE_INVALID, "Inclusion proof verification failed");
  }

  @Test
  void refusesACheckpointWithAnotherRootHash() throws Exception {
    SigstoreBundle bundle = blob();
    ObjectNode entry = entryFor(bundle, "0.0.2");
    ObjectNode checkpoint = (ObjectNode) entry.at("/inclusionProof/checkpoint");
    String[] lines = checkpoint.path("envelope").asText().split("\n", -1);
    lines[2] = b64(flip(Base64.getDecoder().decode(lines[2])));
    checkpoint.put("envelope", String.join("\n", lines));
    refused(withEntries(bundle, entry), Failure.SIGNATURE_INVALID, "Checkpoint root hash does not match");
  }

  @Test
  void refusesACheckpointNotSignedByTheLogKey() throws Exception {
    SigstoreBundle bundle = blob();
    ObjectNode entry = entryFor(bundle, "0.0.2");
    ObjectNode checkpoint = (ObjectNode) entry.at("/inclusionProof/checkpoint");
    String envelope = checkpoint.path("envelope").asText();
    int dash = envelope.lastIndexOf('\u2014');
    String signatureLine = envelope.substring(dash);
    String b64 = signatureLine.substring(signatureLine.lastIndexOf(' ') + 1).strip();
    byte[] hintAndSignature = Base64.getDecoder().decode(b64);
    hintAndSignature[hintAndSignature.length - 5] ^= 1; // inside the DER signature, after the 4-byte key hint
    checkpoint.put("envelope", envelope.substring(0, dash) + signatureLine.replace(b64, b64(hintAndSignature)));
    refused(withEntries(bundle, entry), Failure.SIGNATURE_INVALID, "heckpoint signature");
  }

  @Test
  void refusesAChangedIntegratedTimeBecauseTheSetCoversIt() throws Exception {
    SigstoreBundle bundle = blob();
    ObjectNode entry = entryFor(bundle, "0.0.1");
    entry.put("integratedTime", Long.toString(entry.path("integratedTime").asLong() - 3600));
    refused(withEntries(bundle, entry), Failure.SIGNATURE_INVALID, "SET was not valid");
  }

  @Test
  void refusesAnEntryFromALogTheTrustedRootDoesNotKnow() throws Exception {
    SigstoreBundle bundle = blob();
    LocalSigstore foreign = LocalSigstore.create();
    ObjectNode entry = foreign.logKeySigned("hashedrekord", "0.0.1", ARTIFACT_SHA256, bundle.messageSignature().signature(), pair.getPublic());
    refused(withEntries(bundle, entry), Failure.SIGNER_NOT_TRUSTED, "from a transparency log the trusted root does not know");
  }

  @Test
  void refusesAnEntryIntegratedOutsideTheLogKeysValidity() throws Exception {
    SigstoreBundle bundle = blob();
    ObjectNode entry = entryFor(bundle, "0.0.1");
    ObjectNode trustedRoot = (ObjectNode) BundleJson.readTree(Files.readAllBytes(root));
    ((ObjectNode) trustedRoot.at("/tlogs/0/publicKey/validFor")).put("start", Instant.now().plus(1, ChronoUnit.DAYS)
        .truncatedTo(ChronoUnit.SECONDS).toString());
    Path later = dir.resolve("later_root.json");
    Files.write(later, BundleJson.MAPPER.writeValueAsBytes(trustedRoot));
    LogEntryVerifier laterVerifier = new KeylessBundleVerifier(later).logEntries();
    BundleRejection e = assertThrows(BundleRejection.class, () -> laterVerifier.verify(withEntries(bundle, entry), pair.getPublic(), false));
    assertEquals(Failure.SIGNER_NOT_TRUSTED, e.failure());
    assertTrue(e.getMessage().contains("outside the validity of log key"), e.getMessage());
  }

  @Test
  void everyEntryMustPassNotJustOne() throws Exception {
    SigstoreBundle bundle = blob();
    ObjectNode good = entryFor(bundle, "0.0.1");
    ObjectNode bad = entryFor(bundle, "0.0.1");
    bad.put("integratedTime", Long.toString(bad.path("integratedTime").asLong() + 1));
    assertEquals(1, verifier.verify(withEntries(bundle, good), pair.getPublic(), false).entries());
    refused(withEntries(bundle, good, bad), Failure.SIGNATURE_INVALID, "transparency-log entry 1");
  }

  @Test
  void refusesALoggedEnvelopeWithSeveralSignatures() throws Exception {
    SigstoreBundle bundle = image();
    DsseSignature only = bundle.dsse().signatures().get(0);
    DsseEnvelope doubled = new DsseEnvelope(bundle.dsse().payloadType(), bundle.dsse().payload(), List.of(only, only));
    SigstoreBundle twice = withEntries(new SigstoreBundle(bundle.mediaType(), bundle.material(), doubled, null), entryFor(bundle, "0.0.1"));
    refused(twice, Failure.SIGNATURE_INVALID, "exactly one is allowed");
  }

  @Test
  void refusesAKeylessEntryOnAKeyBundle() throws Exception {
    // A keyless bundle's entry names a certificate: never the key that signed a key bundle.
    JsonNode keyless = BundleJson.readTree(sigstore.signBlob("someone@example.com", "https://issuer.example", ARTIFACT_SHA256));
    JsonNode entry = keyless.at("/verificationMaterial/tlogEntries/0");
    SigstoreBundle bundle = blob();
    JsonNode body = BundleJson.readTree(Base64.getDecoder().decode(entry.path("canonicalizedBody").asText()));
    // Give the key bundle the keyless signature so only the verifier check differs.
    byte[] keylessSignature = Base64.getDecoder().decode(body.at("/spec/signature/content").asText());
    SigstoreBundle sameSignature = new SigstoreBundle(bundle.mediaType(), bundle.material(), null,
        new dev.palisade.signing.bundle.MessageSignature(ARTIFACT_SHA256, keylessSignature));
    refused(withEntries(sameSignature, entry), Failure.SIGNATURE_INVALID, "records a certificate for");
  }

  // ---- helpers

  static byte[] flip(byte[] bytes) {
    byte[] copy = bytes.clone();
    copy[0] ^= 1;
    return copy;
  }

  static String b64(byte[] bytes) {
    return Base64.getEncoder().encodeToString(bytes);
  }

  static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
