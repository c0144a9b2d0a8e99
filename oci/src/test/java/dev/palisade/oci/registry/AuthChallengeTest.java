package dev.palisade.oci.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class AuthChallengeTest {

  @Test
  void parsesBearerWithQuotedParameters() throws Exception {
    List<AuthChallenge> challenges = AuthChallenge.parseAll(
        "Bearer realm=\"https://auth.docker.io/token\",service=\"registry.docker.io\",scope=\"repository:library/alpine:pull\"");
    assertEquals(1, challenges.size());
    AuthChallenge bearer = challenges.get(0);
    assertEquals("bearer", bearer.scheme());
    assertEquals("https://auth.docker.io/token", bearer.parameter("realm"));
    assertEquals("registry.docker.io", bearer.parameter("service"));
    assertEquals("repository:library/alpine:pull", bearer.parameter("scope"));
  }

  @Test
  void parsesSeveralChallengesAndEscapes() throws Exception {
    List<AuthChallenge> challenges = AuthChallenge.parseAll(
        "Basic realm=\"Registry \\\"Realm\\\"\", Bearer realm=\"https://t/x\", service=reg");
    assertEquals(2, challenges.size());
    assertEquals("basic", challenges.get(0).scheme());
    assertEquals("Registry \"Realm\"", challenges.get(0).parameter("realm"));
    assertEquals("reg", challenges.get(1).parameter("service"));
  }

  @Test
  void refusesUnterminatedQuote() {
    assertThrows(RegistryProtocolException.class, () -> AuthChallenge.parseAll("Bearer realm=\"https://x"));
  }
}
