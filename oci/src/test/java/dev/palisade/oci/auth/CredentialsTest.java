package dev.palisade.oci.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CredentialsTest {

  @TempDir Path dir;

  @Test
  void credentialNeverPrintsItsSecret() {
    Credential credential = new Credential("ci", "s3cret-value");
    assertFalse(credential.toString().contains("s3cret-value"));
  }

  @Test
  void readsInlineAuthAndDockerHubAliases() throws Exception {
    String auth = Base64.getEncoder().encodeToString("alice:pa:ss".getBytes(StandardCharsets.UTF_8));
    Path config = dir.resolve("config.json");
    Files.writeString(config, "{\"auths\":{\"https://index.docker.io/v1/\":{\"auth\":\"" + auth + "\"},"
        + "\"127.0.0.1:5000\":{\"username\":\"bob\",\"password\":\"pw\"}}}");
    DockerConfigCredentials credentials = new DockerConfigCredentials(config);
    Credential hub = credentials.credentialFor("docker.io").orElseThrow();
    assertEquals("alice", hub.username());
    assertEquals("pa:ss", hub.secret());
    assertEquals("bob", credentials.credentialFor("127.0.0.1:5000").orElseThrow().username());
    assertTrue(credentials.credentialFor("ghcr.io").isEmpty());
  }

  @Test
  void brokenConfigNamesTheFileNotTheSecret() throws Exception {
    Path config = dir.resolve("config.json");
    Files.writeString(config, "{\"auths\":{\"r.example\":{\"auth\":\"%%%not-base64-s3cret\"}}}");
    CredentialException e = assertThrows(CredentialException.class,
        () -> new DockerConfigCredentials(config).credentialFor("r.example"));
    assertTrue(e.getMessage().contains(config.toString()), e.getMessage());
    assertFalse(e.getMessage().contains("s3cret"), e.getMessage());
  }

  @Test
  void missingConfigMeansNoCredential() throws Exception {
    assertTrue(new DockerConfigCredentials(dir.resolve("absent.json")).credentialFor("docker.io").isEmpty());
  }

  @Test
  void environmentCredentialsStayOnTheirHost() throws Exception {
    EnvironmentCredentials env = new EnvironmentCredentials(Map.of(
        "REGISTRY_USERNAME", "ci", "REGISTRY_PASSWORD", "pw", "REGISTRY_HOST", "reg.example"));
    assertEquals("ci", env.credentialFor("reg.example").orElseThrow().username());
    assertTrue(env.credentialFor("evil.example").isEmpty());
  }

  @Test
  void halfConfiguredEnvironmentIsAnError() {
    EnvironmentCredentials env = new EnvironmentCredentials(Map.of("REGISTRY_USERNAME", "ci"));
    assertThrows(CredentialException.class, () -> env.credentialFor("reg.example"));
  }

  @Test
  void githubTokenServesGhcrOnly() throws Exception {
    EnvironmentCredentials env = new EnvironmentCredentials(Map.of("GITHUB_TOKEN", "ghs_x", "GITHUB_ACTOR", "octo"));
    assertEquals("octo", env.credentialFor("ghcr.io").orElseThrow().username());
    assertTrue(env.credentialFor("docker.io").isEmpty());
  }
}
