package dev.palisade.signing.sign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.palisade.oci.digest.Digest;
import dev.palisade.signing.bundle.BundleJson;
import dev.palisade.signing.bundle.SigstoreBundle;
import dev.palisade.signing.dsse.DsseEnvelope;
import dev.palisade.signing.intoto.PredicateTypes;
import dev.palisade.signing.intoto.Statement;
import dev.palisade.signing.keys.KeyHint;
import dev.palisade.signing.keys.Openssl;
import dev.palisade.signing.keys.KeyPairs;
import dev.palisade.signing.verify.BundleRejection;
import dev.palisade.signing.verify.Failure;
import dev.palisade.signing.verify.KeyBundleVerifier;
import dev.palisade.signing.verify.TrustedKey;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SignAndVerifyTest {

  static final Digest IMAGE = Digest.parse("sha256:" + "ab".repeat(32));
  final KeyPair pair = KeyPairs.generate();
  final KeyPair other = KeyPairs.generate();

  @TempDir Path dir;

  @Test
  void imageSignatureIsACosignV3DsseStatementOverTheDigest() throws Exception {
    SigstoreBundle bundle = new Attester(new KeyArtifactSigner(pair.getPrivate(), pair.getPublic())).signImage("reg/app", IMAGE);
    JsonNode json = BundleJson.readTree(bundle.toJson());
    assertEquals("application/vnd.dev.sigstore.bundle.v0.3+json", json.path("mediaType").asText());
    assertEquals(KeyHint.of(pair.getPublic()), json.at("/verificationMaterial/publicKey/hint").asText());
    assertEquals("application/vnd.in-toto+json", json.at("/dsseEnvelope/payloadType").asText());
    JsonNode statement = BundleJson.readTree(Base64.getDecoder().decode(json.at("/dsseEnvelope/payload").asText()));
    assertEquals("https://in-toto.io/Statement/v1", statement.path("_type").asText());
    assertEquals(PredicateTypes.COSIGN_SIGN, statement.path("predicateType").asText());
    assertEquals(IMAGE.hex(), statement.at("/subject/0/digest/sha256").asText());

    SigstoreBundle reread = BundleJson.parse(bundle.toJson(), "bundle");
    TrustedKey signer = KeyBundleVerifier.verifyDsse(reread, List.of(new TrustedKey("release.pub", pair.getPublic())));
    assertEquals("release.pub", signer.name());
    // The signature is over the PAE, as openssl sees it too.
    assertTrue(opensslVerifies(reread.dsse().pae(), reread.dsse().signatures().get(0).sig()));
  }

  @Test
  void aTamperedPayloadIsAnInvalidSignatureAndAnotherKeyIsAnUntrustedSigner() throws Exception {
    SigstoreBundle bundle = new Attester(new KeyArtifactSigner(pair.getPrivate(), pair.getPublic()))
        .attest("reg/app", IMAGE, PredicateTypes.SLSA_PROVENANCE_V1, BundleJson.MAPPER.readTree("{\"builder\":\"ci\"}"));
    ObjectNode json = (ObjectNode) BundleJson.readTree(bundle.toJson());
    Statement original = Statement.parse(bundle.dsse().payload(), "p");
    ObjectNode predicate = (ObjectNode) original.predicate();
    predicate.put("builder", "attacker");
    byte[] forged = new Statement(original.subjects(), original.predicateType(), predicate).toJson();
    ((ObjectNode) json.get("dsseEnvelope")).put("payload", Base64.getEncoder().encodeToString(forged));
    SigstoreBundle tampered = BundleJson.parse(BundleJson.MAPPER.writeValueAsBytes(json), "tampered");
    BundleRejection invalid = assertThrows(BundleRejection.class,
        () -> KeyBundleVerifier.verifyDsse(tampered, List.of(new TrustedKey("release.pub", pair.getPublic()))));
    assertEquals(Failure.SIGNATURE_INVALID, invalid.failure());
    BundleRejection untrusted = assertThrows(BundleRejection.class,
        () -> KeyBundleVerifier.verifyDsse(bundle, List.of(new TrustedKey("other.pub", other.getPublic()))));
    assertEquals(Failure.SIGNER_NOT_TRUSTED, untrusted.failure());
  }

  @Test
  void blobBundlesVerifyAgainstTheFileAndOpensslAgrees() throws Exception {
    Path file = dir.resolve("sbom.json");
    Files.writeString(file, "{\"bomFormat\":\"CycloneDX\"}");
    Path bundleFile = new BlobSigner(new KeyArtifactSigner(pair.getPrivate(), pair.getPublic())).signToFile(file);
    assertEquals("sbom.json.sigstore.json", bundleFile.getFileName().toString());
    SigstoreBundle bundle = BundleJson.parse(Files.readAllBytes(bundleFile), bundleFile.toString());
    KeyBundleVerifier.verifyMessage(bundle, BlobSigner.sha256(file), List.of(new TrustedKey("k", pair.getPublic())));
    assertTrue(opensslVerifies(Files.readAllBytes(file), bundle.messageSignature().signature()));
    Files.writeString(file, "{\"bomFormat\":\"CycloneDX\",\"x\":1}");
    BundleRejection changed = assertThrows(BundleRejection.class,
        () -> KeyBundleVerifier.verifyMessage(bundle, BlobSigner.sha256(file), List.of(new TrustedKey("k", pair.getPublic()))));
    assertEquals(Failure.SIGNATURE_INVALID, changed.failure());
  }

  @Test
  void malformedBundlesAreRefusedWithTheDocumentsName() {
    for (String bad : List.of("{", "[]", "{\"mediaType\":\"x\"}",
        "{\"mediaType\":\"application/vnd.dev.sigstore.bundle.v0.3+json\",\"verificationMaterial\":{\"publicKey\":{}}}",
        "{\"mediaType\":\"application/vnd.dev.sigstore.bundle.v0.3+json\",\"mediaType\":\"application/vnd.dev.sigstore.bundle.v0.3+json\"}")) {
      Exception e = assertThrows(Exception.class, () -> BundleJson.parse(bad.getBytes(StandardCharsets.UTF_8), "b.json"));
      assertTrue(e.getMessage().startsWith("b.json"), e.getMessage());
    }
  }

  @Test
  void paeIsTheDsseV1Encoding() {
    assertEquals("DSSEv1 28 application/vnd.in-toto+json 2 {}",
        new String(DsseEnvelope.pae("application/vnd.in-toto+json", "{}".getBytes()), StandardCharsets.UTF_8));
  }

  private boolean opensslVerifies(byte[] data, byte[] signature) throws Exception {
    Path pub = dir.resolve("pub-" + System.nanoTime() + ".pem");
    Files.writeString(pub, dev.palisade.signing.keys.PemKeys.publicKeyPem(pair.getPublic()));
    Path dataFile = dir.resolve("data-" + System.nanoTime());
    Files.write(dataFile, data);
    Path sigFile = dir.resolve("sig-" + System.nanoTime());
    Files.write(sigFile, signature);
    Process p = new ProcessBuilder(Openssl.binary(), "dgst", "-sha256", "-verify", pub.toString(), "-signature", sigFile.toString(), dataFile.toString())
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    return p.waitFor() == 0 && out.contains("Verified OK");
  }
}
