package dev.palisade.signing.keyless;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.palisade.signing.SigningException;
import dev.palisade.signing.bundle.SigstoreBundle;
import dev.palisade.signing.policy.Identity;
import dev.palisade.signing.verify.BundleRejection;
import dev.palisade.signing.verify.Failure;
import dev.palisade.testing.sigstore.LocalOidcIssuer;
import dev.palisade.testing.sigstore.LocalSigstoreServers;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * sigstore-java's unmodified KeylessSigner against the local Sigstore services (Fulcio gRPC over
 * TLS, Rekor v1), with the token fetched from a simulated GitHub Actions token endpoint; the result
 * verified by the unmodified KeylessVerifier.
 */
class KeylessSigningTest {

  static final String ACTIONS = "https://token.actions.githubusercontent.com";
  static final String WORKFLOW_REF = "palisade-dev/palisade/.github/workflows/release.yml@refs/tags/v1.2.3";

  @TempDir Path dir;

  @Test
  void signsInASimulatedGitHubActionsJobAndVerifiesOffline() throws Exception {
    LocalOidcIssuer actions = new LocalOidcIssuer(ACTIONS);
    try (LocalSigstoreServers sigstore = LocalSigstoreServers.start(dir, actions);
         LocalSigstoreServers.JvmTrust trust = sigstore.trustInThisJvm()) {

      AtomicReference<String> seenAuthorization = new AtomicReference<>();
      AtomicReference<String> seenQuery = new AtomicReference<>();
      HttpServer endpoint = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      endpoint.createContext("/token", exchange -> {
        seenAuthorization.set(exchange.getRequestHeaders().getFirst("Authorization"));
        seenQuery.set(exchange.getRequestURI().getQuery());
        String token = actions.token("repo:palisade-dev/palisade:ref:refs/tags/v1.2.3", Map.of("job_workflow_ref", WORKFLOW_REF));
        byte[] body = ("{\"count\":1,\"value\":\"" + token + "\"}").getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(200, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
      });
      endpoint.start();
      try {
        Map<String, String> environment = Map.of(
            IdentityTokens.ACTIONS_URL, "http://127.0.0.1:" + endpoint.getAddress().getPort() + "/token?api-version=2.0",
            IdentityTokens.ACTIONS_TOKEN, "runner-secret");
        String token = IdentityTokens.find(environment, null);
        assertEquals("Bearer runner-secret", seenAuthorization.get());
        assertTrue(seenQuery.get().contains("audience=sigstore"), seenQuery.get());

        byte[] sha256 = MessageDigest.getInstance("SHA-256").digest("gateway.jar".getBytes(StandardCharsets.UTF_8));
        SigstoreBundle bundle;
        try (KeylessArtifactSigner signer = KeylessArtifactSigner.create(sigstore.signingConfig(), sigstore.trustedRoot(), token, false)) {
          bundle = signer.signDigest(sha256);
        }
        assertFalse(bundle.material().isPublicKey());
        assertEquals(1, bundle.material().tlogEntries().size());

        String expectedSan = "https://github.com/" + WORKFLOW_REF;
        KeylessBundleVerifier verifier = new KeylessBundleVerifier(sigstore.trustedRoot());
        String signer = verifier.verify(bundle.toJson(), sha256, List.of(new Identity.Certificate(expectedSan, null, ACTIONS, null)));
        assertTrue(signer.startsWith(expectedSan), signer);
        BundleRejection otherRef = assertThrows(BundleRejection.class, () -> verifier.verify(bundle.toJson(), sha256,
            List.of(new Identity.Certificate(expectedSan.replace("v1.2.3", "v9.9.9"), null, ACTIONS, null))));
        assertEquals(Failure.SIGNER_NOT_TRUSTED, otherRef.failure());
      } finally {
        endpoint.stop(0);
      }
    }
  }

  @Test
  void fulcioRefusesTokensFromIssuersItDoesNotTrust() throws Exception {
    LocalOidcIssuer trusted = new LocalOidcIssuer("https://issuer.palisade.test");
    LocalOidcIssuer impostor = new LocalOidcIssuer("https://issuer.palisade.test");
    try (LocalSigstoreServers sigstore = LocalSigstoreServers.start(dir, trusted);
         LocalSigstoreServers.JvmTrust trust = sigstore.trustInThisJvm()) {
      byte[] sha256 = new byte[32];
      try (KeylessArtifactSigner ok = KeylessArtifactSigner.create(sigstore.signingConfig(), sigstore.trustedRoot(),
          trusted.token("someone", Map.of("email", "someone@palisade.test")), false)) {
        assertFalse(ok.signDigest(sha256).material().isPublicKey());
      }
      // Same issuer name, different key: a forged token.
      try (KeylessArtifactSigner forged = KeylessArtifactSigner.create(sigstore.signingConfig(), sigstore.trustedRoot(),
          impostor.token("someone", Map.of("email", "someone@palisade.test")), false)) {
        SigningException e = assertThrows(SigningException.class, () -> forged.signDigest(sha256));
        assertTrue(e.getMessage().contains("keyless signing failed"), e.getMessage());
      }
    }
  }

  @Test
  void attestsImageDigestsThroughRekorV2WithATimestamp() throws Exception {
    LocalOidcIssuer actions = new LocalOidcIssuer(ACTIONS);
    try (LocalSigstoreServers sigstore = LocalSigstoreServers.start(dir, actions);
         LocalSigstoreServers.JvmTrust trust = sigstore.trustInThisJvm()) {
      String token = actions.token("repo:palisade-dev/palisade", Map.of("job_workflow_ref", WORKFLOW_REF));
      dev.palisade.oci.digest.Digest image = dev.palisade.oci.digest.Digest.parse("sha256:" + "ab".repeat(32));
      SigstoreBundle bundle;
      try (KeylessArtifactSigner signer = KeylessArtifactSigner.create(sigstore.signingConfig(), sigstore.trustedRoot(), token, true)) {
        bundle = new dev.palisade.signing.sign.Attester(signer).signImage("ghcr.io/palisade-dev/gateway", image);
      }
      assertFalse(bundle.material().timestamps().isEmpty(), "an RFC 3161 timestamp from the TSA");
      assertEquals("0.0.2", bundle.material().tlogEntries().get(0).at("/kindVersion/version").asText());
      String san = "https://github.com/" + WORKFLOW_REF;
      String signer = new KeylessBundleVerifier(sigstore.trustedRoot()).verify(bundle.toJson(),
          java.util.HexFormat.of().parseHex(image.hex()), List.of(new Identity.Certificate(san, null, ACTIONS, null)));
      assertTrue(signer.startsWith(san), signer);
    }
  }
}
