package dev.palisade.scanner.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.palisade.oci.digest.Digest;
import dev.palisade.oci.manifest.Descriptor;
import dev.palisade.oci.manifest.ImageIndex;
import dev.palisade.oci.manifest.ManifestDocument;
import dev.palisade.oci.registry.RegistryClient;
import dev.palisade.scanner.cli.ExitCodes;
import dev.palisade.scanner.fixtures.CliRun;
import dev.palisade.signing.bundle.BundleJson;
import dev.palisade.signing.bundle.SigstoreBundle;
import dev.palisade.signing.intoto.PredicateTypes;
import dev.palisade.signing.keys.KeyPairFiles;
import dev.palisade.signing.keys.PemKeys;
import dev.palisade.signing.oci.BundleReferrers;
import dev.palisade.signing.oci.LayoutReferrerStore;
import dev.palisade.signing.oci.RegistryReferrerStore;
import dev.palisade.signing.sign.Attester;
import dev.palisade.signing.sign.BlobSigner;
import dev.palisade.signing.sign.KeyArtifactSigner;
import dev.palisade.testing.History;
import dev.palisade.testing.OciImage;
import dev.palisade.testing.RegistryExtension;
import dev.palisade.testing.Skopeo;
import dev.palisade.testing.SkopeoOption;
import dev.palisade.testing.Umoci;
import dev.palisade.testing.sigstore.LocalSigstore;
import dev.palisade.signing.dsse.DsseEnvelope;
import dev.palisade.signing.intoto.Statement;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Key-based signing with the signing library, verification with {@code scanner verify}, on the
 * real registry (which has no referrers API: everything goes through the sha256-<hex> fallback
 * index) and on OCI layouts without any registry.
 */
class VerifyIT {

  @RegisterExtension static final RegistryExtension registry = RegistryExtension.plain();
  @TempDir static Path work;

  static final Instant CREATED = Instant.parse("2026-01-01T00:00:00Z");
  static Path releasePub;
  static Path otherPub;
  static Attester release;
  static Attester other;
  static OciImage appImage;
  static OciImage otherImage;

  @BeforeAll
  static void setUp() throws Exception {
    KeyPairFiles.Written releaseKeys = KeyPairFiles.generate(work.resolve("release"), "release-pw".toCharArray());
    KeyPairFiles.Written otherKeys = KeyPairFiles.generate(work.resolve("other"), "other-pw".toCharArray());
    releasePub = releaseKeys.publicKey();
    otherPub = otherKeys.publicKey();
    release = new Attester(new KeyArtifactSigner(PemKeys.readPrivateKey(releaseKeys.privateKey(), "release-pw".toCharArray()),
        PemKeys.readPublicKey(releasePub)));
    other = new Attester(new KeyArtifactSigner(PemKeys.readPrivateKey(otherKeys.privateKey(), "other-pw".toCharArray()),
        PemKeys.readPublicKey(otherPub)));
    Umoci umoci = Umoci.create();
    Path layout = work.resolve("images");
    appImage = umoci.insertFile(umoci.newImage(layout, "app"), "/srv/app.txt", "app v1\n".getBytes(StandardCharsets.UTF_8), History.NONE);
    otherImage = umoci.insertFile(umoci.newImage(layout, "other"), "/srv/app.txt", "app v2\n".getBytes(StandardCharsets.UTF_8), History.NONE);
  }

  private static void push(OciImage image, String repository, String tag) {
    try (Skopeo skopeo = Skopeo.create()) {
      skopeo.copy(image.skopeoReference(), registry.dockerTransport(repository, tag), SkopeoOption.pushTo(registry));
    }
  }

  private static RegistryClient client() {
    return RegistryClient.builder(registry.host()).plainHttp(true).build();
  }

  private static Descriptor descriptor(String repository, String tag) throws Exception {
    try (RegistryClient client = client()) {
      return client.getManifest(repository, tag).descriptor();
    }
  }

  private static void attach(String repository, Descriptor subject, SigstoreBundle bundle) throws Exception {
    try (RegistryClient client = client()) {
      new RegistryReferrerStore(client, registry.host(), repository, note -> { }).attach(subject, bundle, CREATED);
    }
  }

  /** Pushes the app image, signs it and attaches SBOM and provenance attestations. */
  private static Descriptor pushSigned(String repository, String tag) throws Exception {
    push(appImage, repository, tag);
    Descriptor subject = descriptor(repository, tag);
    String name = registry.host() + "/" + repository;
    attach(repository, subject, release.signImage(name, subject.digest()));
    attach(repository, subject, release.attest(name, subject.digest(), PredicateTypes.CYCLONEDX_BOM,
        BundleJson.MAPPER.readTree("{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.6\"}")));
    attach(repository, subject, release.attest(name, subject.digest(), PredicateTypes.SLSA_PROVENANCE_V1,
        BundleJson.MAPPER.readTree("{\"buildDefinition\":{\"externalParameters\":{\"workflow\":{\"ref\":\"refs/tags/v1.2.3\"}}}}")));
    return subject;
  }

  private static CliRun verify(String image, String... more) {
    String[] args = new String[4 + more.length];
    args[0] = "verify";
    args[1] = image;
    args[2] = "--insecure-registry";
    args[3] = registry.host();
    System.arraycopy(more, 0, args, 4, more.length);
    return CliRun.of(args);
  }

  @Test
  void acceptsTheRightKeyAndStoresReferrersTheWayCosignV3Does() throws Exception {
    Descriptor subject = pushSigned("palisade/signed", "1");
    CliRun run = verify(registry.imageReference("palisade/signed", "1"), "--key", releasePub.toString(),
        "--require-attestation", "sbom", "--require-attestation", "provenance");
    assertEquals(ExitCodes.CLEAN, run.exitCode(), run.toString());
    assertTrue(run.out().contains(subject.digest().toString()), run.toString());
    assertTrue(run.out().contains("signature: by key release.pub"), run.toString());
    assertTrue(run.out().contains("attestation: " + PredicateTypes.SLSA_PROVENANCE_V1), run.toString());

    // The fallback index and the referrer manifests, exactly as the cosign bundle spec lays them out.
    try (RegistryClient client = client()) {
      ManifestDocument fallback = client.getManifest("palisade/signed", subject.digest().toTagForm());
      ImageIndex index = (ImageIndex) fallback.manifest();
      assertEquals(3, index.manifests().size());
      for (Descriptor entry : index.manifests()) {
        assertEquals(BundleReferrers.ARTIFACT_TYPE, entry.artifactType());
        assertTrue(entry.annotations().containsKey("dev.sigstore.bundle.content"));
        JsonNode manifest = BundleJson.readTree(client.getManifest("palisade/signed", entry.digest().toString()).bytes());
        assertEquals(BundleReferrers.ARTIFACT_TYPE, manifest.path("artifactType").asText());
        assertEquals("application/vnd.oci.empty.v1+json", manifest.at("/config/mediaType").asText());
        assertEquals(BundleReferrers.EMPTY_CONFIG_DIGEST.toString(), manifest.at("/config/digest").asText());
        assertEquals(1, manifest.path("layers").size());
        assertEquals(subject.digest().toString(), manifest.at("/subject/digest").asText());
      }
    }
  }

  @Test
  void refusesAnUnsignedImage() {
    push(appImage, "palisade/unsigned", "1");
    CliRun run = verify(registry.imageReference("palisade/unsigned", "1"), "--key", releasePub.toString());
    assertEquals(ExitCodes.NOT_SIGNED, run.exitCode(), run.toString());
    assertTrue(run.err().contains("is not signed"), run.toString());
    assertFalse(run.err().contains("\tat "), "no stack trace: " + run);
  }

  @Test
  void refusesAnotherKey() throws Exception {
    pushSigned("palisade/wrongkey", "1");
    CliRun run = verify(registry.imageReference("palisade/wrongkey", "1"), "--key", otherPub.toString());
    assertEquals(ExitCodes.SIGNER_NOT_TRUSTED, run.exitCode(), run.toString());
    assertTrue(run.err().contains("not a trusted key"), run.toString());
  }

  @Test
  void refusesATamperedBundle() throws Exception {
    push(appImage, "palisade/tampered", "1");
    Descriptor subject = descriptor("palisade/tampered", "1");
    SigstoreBundle genuine = release.signImage("x", subject.digest());
    ObjectNode json = (ObjectNode) BundleJson.readTree(genuine.toJson());
    ObjectNode statement = (ObjectNode) BundleJson.readTree(genuine.dsse().payload());
    statement.put("predicate", "forged");
    ((ObjectNode) json.get("dsseEnvelope")).put("payload", Base64.getEncoder().encodeToString(BundleJson.MAPPER.writeValueAsBytes(statement)));
    attach("palisade/tampered", subject, BundleJson.parse(BundleJson.MAPPER.writeValueAsBytes(json), "tampered"));
    CliRun run = verify(registry.imageReference("palisade/tampered", "1"), "--key", releasePub.toString());
    assertEquals(ExitCodes.SIGNATURE_INVALID, run.exitCode(), run.toString());
    assertTrue(run.err().contains("does not verify"), run.toString());
  }

  @Test
  void refusesATagMovedToAnUnsignedImage() throws Exception {
    pushSigned("palisade/moving", "stable");
    assertEquals(ExitCodes.CLEAN, verify(registry.imageReference("palisade/moving", "stable"), "--key", releasePub.toString()).exitCode());
    push(otherImage, "palisade/moving", "stable");
    CliRun run = verify(registry.imageReference("palisade/moving", "stable"), "--key", releasePub.toString());
    assertEquals(ExitCodes.NOT_SIGNED, run.exitCode(), run.toString());
  }

  @Test
  void refusesAMissingAttestationAndAnAttestationForAnotherDigest() throws Exception {
    push(appImage, "palisade/attest", "1");
    push(otherImage, "palisade/attest", "2");
    Descriptor subject = descriptor("palisade/attest", "1");
    Descriptor elsewhere = descriptor("palisade/attest", "2");
    attach("palisade/attest", subject, release.signImage("palisade/attest", subject.digest()));
    CliRun missing = verify(registry.imageReference("palisade/attest", "1"), "--key", releasePub.toString(), "--require-attestation", "sbom");
    assertEquals(ExitCodes.ATTESTATION_FAILED, missing.exitCode(), missing.toString());
    assertTrue(missing.err().contains("has no " + PredicateTypes.CYCLONEDX_BOM + " attestation"), missing.toString());

    // A genuine SBOM attestation, but about image 2, attached to image 1.
    attach("palisade/attest", subject, release.attest("palisade/attest", elsewhere.digest(), PredicateTypes.CYCLONEDX_BOM,
        BundleJson.MAPPER.readTree("{}")));
    CliRun foreign = verify(registry.imageReference("palisade/attest", "1"), "--key", releasePub.toString(), "--require-attestation", "sbom");
    assertEquals(ExitCodes.ATTESTATION_FAILED, foreign.exitCode(), foreign.toString());
    assertTrue(foreign.err().contains("is about " + elsewhere.digest()), foreign.toString());
  }

  @Test
  void aPolicyFileChecksWhatAttestationsSay() throws Exception {
    pushSigned("palisade/policy", "1");
    Path policy = work.resolve("trust-" + System.nanoTime() + ".yaml");
    Files.writeString(policy, """
        version: 1
        policies:
          - name: releases
            images: ["%s/palisade/*"]
            signers:
              - key: %s
            attestations:
              - predicateType: https://slsa.dev/provenance/v1
                where:
                  - path: /buildDefinition/externalParameters/workflow/ref
                    matches: "refs/tags/v%s"
              - predicateType: https://cyclonedx.org/bom
        """.formatted(registry.host(), releasePub, "[0-9.]+"));
    CliRun ok = verify(registry.imageReference("palisade/policy", "1"), "--policy", policy.toString());
    assertEquals(ExitCodes.CLEAN, ok.exitCode(), ok.toString());
    Files.writeString(policy, Files.readString(policy).replace("refs/tags/v[0-9.]+", "refs/heads/main"));
    CliRun bad = verify(registry.imageReference("palisade/policy", "1"), "--policy", policy.toString());
    assertEquals(ExitCodes.ATTESTATION_FAILED, bad.exitCode(), bad.toString());
    assertTrue(bad.err().contains("does not match /refs/heads/main/"), bad.toString());
    CliRun uncovered = verify(registry.imageReference("palisade/elsewhere", "1"), "--policy", policy.toString());
    assertTrue(uncovered.exitCode() == ExitCodes.SIGNER_NOT_TRUSTED || uncovered.exitCode() == ExitCodes.REGISTRY, uncovered.toString());
  }

  @Test
  void offlineOnAnOciLayout() throws Exception {
    Path layout = work.resolve("offline");
    Umoci umoci = Umoci.create();
    OciImage image = umoci.insertFile(umoci.newImage(layout, "1.0"), "/srv/x", "x".getBytes(StandardCharsets.UTF_8), History.NONE);
    OciImage unsigned = umoci.insertFile(umoci.newImage(layout, "unsigned"), "/srv/y", "y".getBytes(StandardCharsets.UTF_8), History.NONE);
    Descriptor subject = ImageResolver.selectImage(layout, image.tag(), "test");
    new LayoutReferrerStore(layout).attach(subject, release.signImage("offline", subject.digest()), CREATED);
    assertEquals(ExitCodes.CLEAN, CliRun.of("verify", "oci:" + layout + ":1.0", "--key", releasePub.toString()).exitCode());
    assertEquals(ExitCodes.SIGNER_NOT_TRUSTED, CliRun.of("verify", "oci:" + layout + ":1.0", "--key", otherPub.toString()).exitCode());
    assertEquals(ExitCodes.NOT_SIGNED, CliRun.of("verify", "oci:" + layout + ":" + unsigned.tag(), "--key", releasePub.toString()).exitCode());
    // The layout still works for tools that select by tag (umoci reads it after we changed index.json).
    assertTrue(umoci.tags(layout).contains("1.0"));
  }

  @Test
  void pullWritesOnlyVerifiedImagesAndTheyVerifyAgainOffline() throws Exception {
    pushSigned("palisade/pull", "1");
    push(otherImage, "palisade/pull", "unsigned");
    Path target = work.resolve("pulled");
    CliRun pulled = CliRun.of("pull", registry.imageReference("palisade/pull", "1"), "--to", "oci:" + target,
        "--insecure-registry", registry.host(), "--key", releasePub.toString());
    assertEquals(ExitCodes.CLEAN, pulled.exitCode(), pulled.toString());
    CliRun again = CliRun.of("verify", "oci:" + target + ":1", "--key", releasePub.toString(),
        "--require-attestation", "sbom", "--require-attestation", "provenance");
    assertEquals(ExitCodes.CLEAN, again.exitCode(), again.toString());

    Path refused = work.resolve("refused");
    CliRun unsigned = CliRun.of("pull", registry.imageReference("palisade/pull", "unsigned"), "--to", "oci:" + refused,
        "--insecure-registry", registry.host(), "--key", releasePub.toString());
    assertEquals(ExitCodes.NOT_SIGNED, unsigned.exitCode(), unsigned.toString());
    assertTrue(unsigned.err().startsWith("scanner: not pulled:"), unsigned.toString());
    assertFalse(Files.exists(refused));
    try (var siblings = Files.list(work)) {
      assertTrue(siblings.noneMatch(p -> p.getFileName().toString().startsWith(".refused")), "no partial directory left");
    }
  }

  @Test
  void verifyBundleSpeaksTheConformanceProtocol() throws Exception {
    Path file = work.resolve("sbom.cdx.json");
    Files.writeString(file, "{\"bomFormat\":\"CycloneDX\"}");
    Path bundle = new BlobSigner(new KeyArtifactSigner(
        PemKeys.readPrivateKey(work.resolve("release.key"), "release-pw".toCharArray()), PemKeys.readPublicKey(releasePub)))
        .signToFile(file);
    CliRun ok = CliRun.of("verify-bundle", "--bundle", bundle.toString(), "--key", releasePub.toString(), file.toString());
    assertEquals(ExitCodes.CLEAN, ok.exitCode(), ok.toString());
    String hex = Digest.sha256(Files.readAllBytes(file)).toString();
    assertEquals(ExitCodes.CLEAN, CliRun.of("verify-bundle", "--bundle", bundle.toString(), "--key", releasePub.toString(), hex).exitCode());
    assertEquals(ExitCodes.SIGNER_NOT_TRUSTED,
        CliRun.of("verify-bundle", "--bundle", bundle.toString(), "--key", otherPub.toString(), file.toString()).exitCode());
    Files.writeString(file, "{\"bomFormat\":\"CycloneDX\",\"evil\":true}");
    CliRun changed = CliRun.of("verify-bundle", "--bundle", bundle.toString(), "--key", releasePub.toString(), file.toString());
    assertEquals(ExitCodes.SIGNATURE_INVALID, changed.exitCode(), changed.toString());
    CliRun usage = CliRun.of("verify-bundle", "--bundle", bundle.toString(), file.toString());
    assertEquals(ExitCodes.USAGE_OR_INPUT, usage.exitCode(), usage.toString());
    Path garbage = work.resolve("garbage.json");
    Files.writeString(garbage, "not json");
    CliRun malformed = CliRun.of("verify-bundle", "--bundle", garbage.toString(), "--key", releasePub.toString(), hex);
    assertEquals(ExitCodes.USAGE_OR_INPUT, malformed.exitCode(), malformed.toString());
    assertTrue(malformed.err().contains(garbage.toString()), malformed.toString());
  }

  static final String WORKFLOW = "https://github.com/palisade-dev/palisade/.github/workflows/release.yml@refs/tags/v1.0.0";
  static final String ACTIONS = "https://token.actions.githubusercontent.com";

  @Test
  void keylessSignaturesVerifyAgainstTheTrustedRootAndIdentity() throws Exception {
    LocalSigstore sigstore = LocalSigstore.create();
    Path root = sigstore.writeTrustedRoot(work.resolve("trusted_root-" + System.nanoTime() + ".json"));
    Path foreignRoot = LocalSigstore.create().writeTrustedRoot(work.resolve("foreign_root-" + System.nanoTime() + ".json"));
    push(appImage, "palisade/keyless", "1");
    Descriptor subject = descriptor("palisade/keyless", "1");
    byte[] statement = Statement.about("palisade/keyless", subject.digest(), PredicateTypes.COSIGN_SIGN, null).toJson();
    byte[] bundle = sigstore.signDsse(WORKFLOW, ACTIONS, DsseEnvelope.IN_TOTO_PAYLOAD_TYPE, statement);
    attach("palisade/keyless", subject, BundleJson.parse(bundle, "keyless bundle"));
    String image = registry.imageReference("palisade/keyless", "1");

    CliRun ok = verify(image, "--certificate-identity", WORKFLOW, "--certificate-oidc-issuer", ACTIONS, "--trusted-root", root.toString());
    assertEquals(ExitCodes.CLEAN, ok.exitCode(), ok.toString());
    assertTrue(ok.out().contains("signature: by " + WORKFLOW + " (issuer " + ACTIONS + "), logged at "), ok.toString());
    CliRun regexp = verify(image, "--certificate-identity-regexp", "^https://github\\.com/palisade-dev/palisade/.*@refs/tags/v.*$",
        "--certificate-oidc-issuer", ACTIONS, "--trusted-root", root.toString(), "--require-tlog");
    assertEquals(ExitCodes.CLEAN, regexp.exitCode(), regexp.toString());

    CliRun wrongIdentity = verify(image, "--certificate-identity", WORKFLOW.replace("v1.0.0", "v6.6.6"),
        "--certificate-oidc-issuer", ACTIONS, "--trusted-root", root.toString());
    assertEquals(ExitCodes.SIGNER_NOT_TRUSTED, wrongIdentity.exitCode(), wrongIdentity.toString());
    assertTrue(wrongIdentity.err().contains("not an accepted identity"), wrongIdentity.toString());
    CliRun wrongIssuer = verify(image, "--certificate-identity", WORKFLOW, "--certificate-oidc-issuer", "https://accounts.google.com",
        "--trusted-root", root.toString());
    assertEquals(ExitCodes.SIGNER_NOT_TRUSTED, wrongIssuer.exitCode(), wrongIssuer.toString());
    CliRun untrustedCa = verify(image, "--certificate-identity", WORKFLOW, "--certificate-oidc-issuer", ACTIONS,
        "--trusted-root", foreignRoot.toString());
    assertEquals(ExitCodes.SIGNER_NOT_TRUSTED, untrustedCa.exitCode(), untrustedCa.toString());
    // Without --trusted-root the pinned public-good root applies, and it does not trust the local CA.
    CliRun publicGood = verify(image, "--certificate-identity", WORKFLOW, "--certificate-oidc-issuer", ACTIONS);
    assertEquals(ExitCodes.SIGNER_NOT_TRUSTED, publicGood.exitCode(), publicGood.toString());
    assertTrue(publicGood.err().contains("Fulcio certificate was not valid"), publicGood.toString());
    Path brokenRoot = work.resolve("broken-root-" + System.nanoTime() + ".json");
    Files.writeString(brokenRoot, "{not json");
    CliRun broken = verify(image, "--certificate-identity", WORKFLOW, "--certificate-oidc-issuer", ACTIONS, "--trusted-root", brokenRoot.toString());
    assertEquals(ExitCodes.USAGE_OR_INPUT, broken.exitCode(), broken.toString());
    assertTrue(broken.err().contains(brokenRoot.toString()), broken.toString());
    CliRun keyOnly = verify(image, "--key", releasePub.toString());
    assertEquals(ExitCodes.SIGNER_NOT_TRUSTED, keyOnly.exitCode(), keyOnly.toString());
  }

  @Test
  void keylessVerifyBundleSpeaksTheConformanceProtocol() throws Exception {
    LocalSigstore sigstore = LocalSigstore.create();
    Path root = sigstore.writeTrustedRoot(work.resolve("trusted_root-" + System.nanoTime() + ".json"));
    Path file = work.resolve("release-" + System.nanoTime() + ".jar");
    Files.write(file, "jar bytes".getBytes(StandardCharsets.UTF_8));
    Path bundle = work.resolve(file.getFileName() + ".sigstore.json");
    Files.write(bundle, sigstore.signBlob(WORKFLOW, ACTIONS, BlobSigner.sha256(file)));
    CliRun ok = CliRun.of("verify-bundle", "--bundle", bundle.toString(), "--certificate-identity", WORKFLOW,
        "--certificate-oidc-issuer", ACTIONS, "--trusted-root", root.toString(), file.toString());
    assertEquals(ExitCodes.CLEAN, ok.exitCode(), ok.toString());
    CliRun wrong = CliRun.of("verify-bundle", "--bundle", bundle.toString(), "--certificate-identity", "someone@example.com",
        "--certificate-oidc-issuer", ACTIONS, "--trusted-root", root.toString(), file.toString());
    assertEquals(ExitCodes.SIGNER_NOT_TRUSTED, wrong.exitCode(), wrong.toString());
    Files.write(file, "other bytes".getBytes(StandardCharsets.UTF_8));
    CliRun changed = CliRun.of("verify-bundle", "--bundle", bundle.toString(), "--certificate-identity", WORKFLOW,
        "--certificate-oidc-issuer", ACTIONS, "--trusted-root", root.toString(), file.toString());
    assertEquals(ExitCodes.SIGNATURE_INVALID, changed.exitCode(), changed.toString());
  }

  @Test
  void keylessSignerThroughTheLocalSigstoreServicesEndToEnd() throws Exception {
    dev.palisade.testing.sigstore.LocalOidcIssuer actions = new dev.palisade.testing.sigstore.LocalOidcIssuer(ACTIONS);
    Path stackDir = Files.createDirectories(work.resolve("stack-" + System.nanoTime()));
    try (dev.palisade.testing.sigstore.LocalSigstoreServers sigstore = dev.palisade.testing.sigstore.LocalSigstoreServers.start(stackDir, actions);
         dev.palisade.testing.sigstore.LocalSigstoreServers.JvmTrust trust = sigstore.trustInThisJvm()) {
      push(appImage, "palisade/keyless-e2e", "v1.0.0");
      Descriptor subject = descriptor("palisade/keyless-e2e", "v1.0.0");
      String token = actions.token("repo:palisade-dev/palisade", java.util.Map.of("job_workflow_ref",
          "palisade-dev/palisade/.github/workflows/release.yml@refs/tags/v1.0.0"));
      try (dev.palisade.signing.keyless.KeylessArtifactSigner signer = dev.palisade.signing.keyless.KeylessArtifactSigner.create(
          sigstore.signingConfig(), sigstore.trustedRoot(), token, true)) {
        Attester keyless = new Attester(signer);
        String name = registry.host() + "/palisade/keyless-e2e";
        attach("palisade/keyless-e2e", subject, keyless.signImage(name, subject.digest()));
        attach("palisade/keyless-e2e", subject, keyless.attest(name, subject.digest(), PredicateTypes.SLSA_PROVENANCE_V1,
            BundleJson.MAPPER.readTree("{\"buildDefinition\":{\"externalParameters\":{\"workflow\":{\"ref\":\"refs/tags/v1.0.0\"}}}}")));
      }
      Path policy = work.resolve("keyless-policy-" + System.nanoTime() + ".yaml");
      Files.writeString(policy, """
          version: 1
          policies:
            - name: releases
              images: ["%s/palisade/**"]
              signers:
                - identityRegexp: '^https://github\\.com/palisade-dev/palisade/\\.github/workflows/release\\.yml@refs/tags/v[0-9.]+$'
                  issuer: %s
              transparencyLog: required
              trustedRoot: %s
              attestations:
                - predicateType: https://slsa.dev/provenance/v1
                  where:
                    - path: /buildDefinition/externalParameters/workflow/ref
                      matches: "refs/tags/v.*"
          """.formatted(registry.host(), ACTIONS, sigstore.trustedRoot()));
      CliRun ok = verify(registry.imageReference("palisade/keyless-e2e", "v1.0.0"), "--policy", policy.toString());
      assertEquals(ExitCodes.CLEAN, ok.exitCode(), ok.toString());
      assertTrue(ok.out().contains("attestation: " + PredicateTypes.SLSA_PROVENANCE_V1 + " by https://github.com/palisade-dev/"), ok.toString());
      CliRun branch = verify(registry.imageReference("palisade/keyless-e2e", "v1.0.0"), "--certificate-identity",
          "https://github.com/palisade-dev/palisade/.github/workflows/release.yml@refs/heads/main", "--certificate-oidc-issuer", ACTIONS,
          "--trusted-root", sigstore.trustedRoot().toString());
      assertEquals(ExitCodes.SIGNER_NOT_TRUSTED, branch.exitCode(), branch.toString());
    }
  }

  /** A cosign v2 signature as cosign 2.x lays it out: tag sha256-<hex>.sig, simple-signing layer, signature annotation. */
  private static void pushCosignV2Signature(String repository, Digest image, java.security.PrivateKey key) throws Exception {
    byte[] payload = ("{\"critical\":{\"identity\":{\"docker-reference\":\"" + registry.host() + "/" + repository
        + "\"},\"image\":{\"docker-manifest-digest\":\"" + image + "\"},\"type\":\"cosign container image signature\"},\"optional\":null}")
        .getBytes(StandardCharsets.UTF_8);
    java.security.Signature signer = java.security.Signature.getInstance("SHA256withECDSA");
    signer.initSign(key);
    signer.update(payload);
    String signature = Base64.getEncoder().encodeToString(signer.sign());
    byte[] config = "{\"architecture\":\"\",\"config\":{},\"created\":\"0001-01-01T00:00:00Z\",\"os\":\"\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}"
        .getBytes(StandardCharsets.UTF_8);
    String manifest = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"config\":{\"mediaType\":"
        + "\"application/vnd.oci.image.config.v1+json\",\"size\":" + config.length + ",\"digest\":\"" + Digest.sha256(config) + "\"},"
        + "\"layers\":[{\"mediaType\":\"application/vnd.dev.cosign.simplesigning.v1+json\",\"size\":" + payload.length
        + ",\"digest\":\"" + Digest.sha256(payload) + "\",\"annotations\":{\"dev.cosignproject.cosign/signature\":\"" + signature + "\"}}]}";
    try (RegistryClient client = client()) {
      client.pushBlob(repository, Digest.sha256(config), config);
      client.pushBlob(repository, Digest.sha256(payload), payload);
      client.putManifest(repository, image.toTagForm() + ".sig", manifest.getBytes(StandardCharsets.UTF_8),
          "application/vnd.oci.image.manifest.v1+json");
    }
  }

  @Test
  void readsCosignV2TagSignatures() throws Exception {
    push(appImage, "palisade/cosign2", "1");
    Descriptor subject = descriptor("palisade/cosign2", "1");
    pushCosignV2Signature("palisade/cosign2", subject.digest(), PemKeys.readPrivateKey(work.resolve("release.key"), "release-pw".toCharArray()));
    CliRun ok = verify(registry.imageReference("palisade/cosign2", "1"), "--key", releasePub.toString());
    assertEquals(ExitCodes.CLEAN, ok.exitCode(), ok.toString());
    assertTrue(ok.out().contains("(cosign v2 signature)"), ok.toString());
    CliRun wrong = verify(registry.imageReference("palisade/cosign2", "1"), "--key", otherPub.toString());
    assertEquals(ExitCodes.SIGNATURE_INVALID, wrong.exitCode(), wrong.toString());

    // A v2 signature copied from another image does not sign this one.
    push(otherImage, "palisade/cosign2", "2");
    Descriptor other = descriptor("palisade/cosign2", "2");
    try (RegistryClient client = client()) {
      ManifestDocument sig = client.getManifest("palisade/cosign2", subject.digest().toTagForm() + ".sig");
      client.putManifest("palisade/cosign2", other.digest().toTagForm() + ".sig", sig.bytes(), sig.mediaType());
    }
    CliRun copied = verify(registry.imageReference("palisade/cosign2", "2"), "--key", releasePub.toString());
    assertEquals(ExitCodes.SIGNATURE_INVALID, copied.exitCode(), copied.toString());
    assertTrue(copied.err().contains("signs " + subject.digest()), copied.toString());
  }
}
