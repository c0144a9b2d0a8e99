package dev.palisade.release.sign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.palisade.oci.digest.Digest;
import dev.palisade.release.TestBase;
import dev.palisade.release.TestCli;
import dev.palisade.release.TestRepo;
import dev.palisade.signing.oci.FoundBundle;
import dev.palisade.signing.oci.LayoutReferrerStore;
import dev.palisade.testing.sigstore.LocalOidcIssuer;
import dev.palisade.testing.sigstore.LocalSigstoreServers;
import dev.sigstore.KeylessVerifier;
import dev.sigstore.TrustedRootProvider;
import dev.sigstore.VerificationOptions;
import dev.sigstore.bundle.Bundle;
import dev.sigstore.strings.StringMatcher;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import dev.palisade.testing.RegistryExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keyless release end to end against the local Sigstore services (Fulcio over gRPC+TLS, Rekor v2
 * and a TSA, an OIDC issuer standing in for GitHub Actions): {@code release --keyless} with a
 * private signing config and trusted root signs the image, attests SBOM and provenance, and signs
 * the release files, into an OCI layout (token from a file) or Debian's registry (token from
 * $SIGSTORE_ID_TOKEN); then {@code scanner verify} with a trust policy accepts the image, refuses
 * another identity or issuer, and sigstore-java's unmodified {@link KeylessVerifier} accepts every
 * bundle.
 */
class KeylessReleaseTest {

  static final String ACTIONS = "https://token.actions.githubusercontent.com";
  static final String WORKFLOW_REF = "palisade-dev/palisade/.github/workflows/release.yml@refs/tags/v1.0.0";
  static final String SAN = "https://github.com/" + WORKFLOW_REF;

  @TempDir Path tmp;

  @Test
  void releaseSignsKeylessAndBothScannerAndSigstoreJavaAcceptIt() throws Exception {
    TestBase.assembled();
    LocalOidcIssuer actions = new LocalOidcIssuer(ACTIONS);
    Path stack = Files.createDirectories(tmp.resolve("sigstore"));
    try (LocalSigstoreServers sigstore = LocalSigstoreServers.start(stack, actions);
         LocalSigstoreServers.JvmTrust trust = sigstore.trustInThisJvm()) {
      Path tokenFile = tmp.resolve("oidc-token");
      Files.writeString(tokenFile, actions.token("repo:palisade-dev/palisade:ref:refs/tags/v1.0.0",
          Map.of("job_workflow_ref", WORKFLOW_REF)));

      Path repo = tmp.resolve("repo");
      TestRepo.create(repo, Map.of("hello/greeting.txt", "hi\n")).close();
      TestRepo.writeClasspath(repo);
      Path layout = tmp.resolve("image");
      Path out = tmp.resolve("out");
      TestCli.Run release = TestCli.run(Map.of(), "release", "--repo", repo.toString(), "--snapshot",
          "--cache-dir", TestBase.CACHE.toString(), "--to", "oci:" + layout, "--out-dir", out.toString(), "--json",
          "--keyless", "--identity-token-file", tokenFile.toString(),
          "--signing-config", sigstore.signingConfig().toString(), "--trusted-root", sigstore.trustedRoot().toString());
      assertEquals(0, release.exitCode(), release.toString());
      assertFalse(release.toString().contains(Files.readString(tokenFile)), "the token is never printed");
      JsonNode result = new ObjectMapper().readTree(release.out());
      assertEquals("keyless", result.path("signed").asText(), release.out());
      Digest image = Digest.parse(result.path("digest").asText());

      // scanner verify, as a user runs it, with a trust policy naming the release workflow.
      Path policy = tmp.resolve("trust.yaml");
      Files.writeString(policy, policy(SAN, sigstore.trustedRoot()));
      SigningRun.Run verified = SigningRun.scanner("", "verify", "oci:" + layout, "--policy", policy.toString());
      assertEquals(0, verified.exitCode(), verified.toString());
      assertTrue(verified.out().contains(SAN), verified.toString());
      Path otherTag = tmp.resolve("other-tag.yaml");
      Files.writeString(otherTag, policy(SAN.replace("v1.0.0", "v6.6.6"), sigstore.trustedRoot()));
      SigningRun.Run refused = SigningRun.scanner("", "verify", "oci:" + layout, "--policy", otherTag.toString());
      assertEquals(12, refused.exitCode(), refused.toString());

      // sigstore-java's own verifier, unmodified, on every bundle the release wrote.
      KeylessVerifier verifier = KeylessVerifier.builder().trustedRootProvider(TrustedRootProvider.from(sigstore.trustedRoot())).build();
      VerificationOptions identity = VerificationOptions.builder().addCertificateMatchers(
          VerificationOptions.CertificateMatcher.fulcio().subjectAlternativeName(StringMatcher.string(SAN))
              .issuer(StringMatcher.string(ACTIONS)).build()).build();
      List<FoundBundle> referrers = new LayoutReferrerStore(layout).bundles(image);
      assertEquals(3, referrers.size(), "signature, SBOM attestation, provenance attestation");
      for (FoundBundle found : referrers) {
        Bundle bundle = Bundle.from(new StringReader(new String(found.json(), StandardCharsets.UTF_8)));
        verifier.verify(HexFormat.of().parseHex(image.hex()), bundle, identity);
      }
      for (String file : new String[] {"sbom.cdx.json", "provenance.intoto.json"}) {
        Path bundleFile = out.resolve(file + ".sigstore.json");
        Bundle bundle = Bundle.from(bundleFile, StandardCharsets.UTF_8);
        assertTrue(bundle.getMessageSignature().isPresent(), file + " is signed as a blob");
        JsonNode kindVersion = new ObjectMapper().readTree(Files.readAllBytes(bundleFile))
            .at("/verificationMaterial/tlogEntries/0/kindVersion");
        assertEquals("hashedrekord 0.0.2", kindVersion.path("kind").asText() + " " + kindVersion.path("version").asText(),
            "blobs go to Rekor v2 like the attestations");
        verifier.verify(out.resolve(file), bundle, identity);
        SigningRun.Run blob = SigningRun.scanner("", "verify-bundle", "--bundle", bundleFile.toString(),
            "--certificate-identity", SAN, "--certificate-oidc-issuer", ACTIONS, "--trusted-root",
            sigstore.trustedRoot().toString(), out.resolve(file).toString());
        assertEquals(0, blob.exitCode(), blob.toString());
      }
      // And a changed release file no longer verifies.
      Files.writeString(out.resolve("sbom.cdx.json"), "{}");
      SigningRun.Run changed = SigningRun.scanner("", "verify-bundle", "--bundle", out.resolve("sbom.cdx.json.sigstore.json").toString(),
          "--certificate-identity", SAN, "--certificate-oidc-issuer", ACTIONS, "--trusted-root",
          sigstore.trustedRoot().toString(), out.resolve("sbom.cdx.json").toString());
      assertEquals(11, changed.exitCode(), changed.toString());
    }
  }

  @RegisterExtension static final RegistryExtension registry = RegistryExtension.tlsWithBasicAuth();

  /** The same through Debian's registry (TLS, basic auth, no referrers API: the fallback index). */
  @Test
  void keylessReleaseToARegistryVerifiesFromTheRegistry() throws Exception {
    TestBase.assembled();
    LocalOidcIssuer actions = new LocalOidcIssuer(ACTIONS);
    Path stack = Files.createDirectories(tmp.resolve("sigstore"));
    try (LocalSigstoreServers sigstore = LocalSigstoreServers.start(stack, actions);
         LocalSigstoreServers.JvmTrust trust = sigstore.trustInThisJvm()) {
      String token = actions.token("repo:palisade-dev/palisade:ref:refs/tags/v1.0.0", Map.of("job_workflow_ref", WORKFLOW_REF));
      Path repo = tmp.resolve("repo");
      TestRepo.create(repo, Map.of("hello/greeting.txt", "hi\n")).close();
      TestRepo.writeClasspath(repo);
      // The token from the environment this time ($SIGSTORE_ID_TOKEN), as a CI other than GitHub's passes it.
      TestCli.Run release = TestCli.run(Map.of("SIGSTORE_ID_TOKEN", token,
              "REGISTRY_USERNAME", registry.username(), "REGISTRY_PASSWORD", registry.password()),
          "release", "--repo", repo.toString(), "--snapshot", "--cache-dir", TestBase.CACHE.toString(),
          "--ca-file", registry.caCertificate().toString(), "--to", registry.host() + "/palisade/keyless:1.0.0",
          "--out-dir", tmp.resolve("out").toString(), "--json",
          "--keyless", "--signing-config", sigstore.signingConfig().toString(), "--trusted-root", sigstore.trustedRoot().toString());
      assertEquals(0, release.exitCode(), release.toString());
      assertFalse(release.toString().contains(token), "the token is never printed");
      String image = new ObjectMapper().readTree(release.out()).path("image").asText();

      Path policy = tmp.resolve("trust.yaml");
      Files.writeString(policy, policy(SAN, sigstore.trustedRoot()));
      String password = registry.password() + "\n";
      SigningRun.Run verified = SigningRun.scanner(password, "verify", image, "--ca-file", registry.caCertificate().toString(),
          "--username", registry.username(), "--password-stdin", "--policy", policy.toString());
      assertEquals(0, verified.exitCode(), verified.toString());
      Path otherIssuer = tmp.resolve("other-issuer.yaml");
      Files.writeString(otherIssuer, policy(SAN, sigstore.trustedRoot()).replace(ACTIONS, "https://accounts.google.com"));
      SigningRun.Run refused = SigningRun.scanner(password, "verify", image, "--ca-file", registry.caCertificate().toString(),
          "--username", registry.username(), "--password-stdin", "--policy", otherIssuer.toString());
      assertEquals(12, refused.exitCode(), refused.toString());
    }
  }

  static String policy(String san, Path trustedRoot) {
    return "version: 1\n"
        + "policies:\n"
        + "  - name: releases\n"
        + "    images: [\"**/**\"]\n"
        + "    signers:\n"
        + "      - identity: \"" + san + "\"\n"
        + "        issuer: \"" + ACTIONS + "\"\n"
        + "    transparencyLog: required\n"
        + "    trustedRoot: " + trustedRoot + "\n"
        + "    attestations:\n"
        + "      - predicateType: https://slsa.dev/provenance/v1\n"
        + "      - predicateType: https://cyclonedx.org/bom\n";
  }
}
