package dev.palisade.signing.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.palisade.signing.keys.KeyPairs;
import dev.palisade.signing.keys.PemKeys;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrustPolicyParserTest {

  @TempDir Path dir;

  @BeforeEach
  void key() throws Exception {
    Files.writeString(dir.resolve("release.pub"), PemKeys.publicKeyPem(KeyPairs.generate().getPublic()));
  }

  private TrustPolicy parse(String yaml) throws PolicyException {
    return TrustPolicyParser.parse("trust.yaml", yaml.getBytes(StandardCharsets.UTF_8), dir);
  }

  @Test
  void readsRulesAndMatchesRepositoriesByGlob() throws Exception {
    TrustPolicy policy = parse("""
        version: 1
        policies:
          - name: releases
            images: ["ghcr.io/palisade-dev/*", "127.0.0.1:*/team/**"]
            signers:
              - key: release.pub
              - identityRegexp: "^https://github.com/palisade-dev/palisade/.*@refs/tags/v.*$"
                issuer: https://token.actions.githubusercontent.com
            transparencyLog: optional
            attestations:
              - predicateType: https://slsa.dev/provenance/v1
                where:
                  - path: /buildDefinition/externalParameters/workflow/ref
                    matches: "refs/tags/v.*"
              - predicateType: https://cyclonedx.org/bom
        """);
    PolicyRule rule = policy.ruleFor("ghcr.io/palisade-dev/gateway").orElseThrow();
    assertEquals(2, rule.identities().size());
    assertEquals(2, rule.attestations().size());
    assertTrue(policy.ruleFor("127.0.0.1:5000/team/a/b").isPresent());
    assertFalse(policy.ruleFor("ghcr.io/palisade-dev/a/b").isPresent());
    assertFalse(policy.ruleFor("ghcr.io/other/gateway").isPresent());
  }

  @Test
  void theShippedPoliciesAreValid() throws Exception {
    Path shipped = Path.of("..", "policies", "trust");
    TrustPolicy releases = TrustPolicyParser.parse(shipped.resolve("palisade-releases.yaml"));
    PolicyRule rule = releases.ruleFor("ghcr.io/palisade-dev/gateway").orElseThrow();
    assertTrue(rule.transparencyLogRequired());
    assertEquals(2, rule.attestations().size());
    TrustPolicy airGapped = TrustPolicyParser.parse(shipped.resolve("air-gapped.yaml"));
    assertTrue(airGapped.ruleFor("registry.internal:5000/team/app").isPresent());
  }

  @Test
  void errorsNameTheLine() {
    assertLine(4, "unknown key 'identiy'", """
        version: 1
        policies:
          - name: r
            identiy: x
            images: [a/b]
            signers: [{key: release.pub}]
        """);
    assertLine(6, "issuer", """
        version: 1
        policies:
          - name: r
            images: [a/b]
            signers:
              - identity: https://github.com/x
        """);
    assertLine(5, "missing.pub", """
        version: 1
        policies:
          - name: r
            images: [a/b]
            signers: [{key: missing.pub}]
        """);
    assertLine(7, "invalid regular expression", """
        version: 1
        policies:
          - name: r
            images: [a/b]
            signers:
              - identity: x
                issuerRegexp: "(("
        """);
    assertLine(6, "transparencyLog", """
        version: 1
        policies:
          - name: r
            images: [a/b]
            signers: [{key: release.pub}]
            transparencyLog: sometimes
        """);
    assertLine(1, "version", "version: 2\npolicies: []\n");
    assertLine(3, "not valid YAML", "version: 1\npolicies:\n  - name: [\n");
  }

  private void assertLine(int line, String text, String yaml) {
    PolicyException e = assertThrows(PolicyException.class, () -> parse(yaml));
    assertTrue(e.getMessage().startsWith("trust.yaml:" + line + ":"), e.getMessage());
    assertTrue(e.getMessage().contains(text), e.getMessage());
  }
}
