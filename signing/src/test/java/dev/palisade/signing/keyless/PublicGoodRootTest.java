package dev.palisade.signing.keyless;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sigstore.TrustedRootProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class PublicGoodRootTest {

  @Test
  void thePinnedRootLoadsInSigstoreJava() throws Exception {
    Path root = PublicGoodRoot.path();
    assertTrue(Files.size(root) > 1000);
    var trusted = TrustedRootProvider.from(root).get();
    assertTrue(trusted.getTLogs().stream().anyMatch(log -> log.getBaseUrl().toString().equals("https://rekor.sigstore.dev")));
    assertTrue(!trusted.getCAs().isEmpty() && !trusted.getCTLogs().isEmpty());
    new KeylessBundleVerifier(root);
  }
}
