package dev.palisade.oci.auth;

import com.fasterxml.jackson.databind.JsonNode;
import dev.palisade.oci.manifest.Json;
import dev.palisade.oci.manifest.ManifestFormatException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Credentials from a Docker {@code config.json} (also the containers {@code auth.json}, same
 * format): inline {@code auths} entries, per-registry {@code credHelpers} and a default {@code
 * credsStore}, run as {@code docker-credential-<name> get}.
 */
public final class DockerConfigCredentials implements CredentialProvider {

  private static final int HELPER_TIMEOUT_SECONDS = 30;
  private static final int HELPER_MAX_OUTPUT = 64 * 1024;

  private final Path configFile;

  public DockerConfigCredentials(Path configFile) {
    this.configFile = configFile;
  }

  /**
   * The config Docker itself would read: {@code $DOCKER_CONFIG/config.json}, else {@code
   * ~/.docker/config.json}.
   */
  public static DockerConfigCredentials fromDefaultLocation(Map<String, String> environment) {
    String dockerConfig = environment.get("DOCKER_CONFIG");
    Path dir =
        dockerConfig != null && !dockerConfig.isEmpty()
            ? Path.of(dockerConfig)
            : Path.of(System.getProperty("user.home"), ".docker");
    return new DockerConfigCredentials(dir.resolve("config.json"));
  }

  public Path configFile() {
    return configFile;
  }

  @Override
  public Optional<Credential> credentialFor(String registryHost) throws CredentialException {
    if (!Files.isRegularFile(configFile)) {
      return Optional.empty();
    }
    JsonNode root;
    try {
      root = Json.parse(Files.readAllBytes(configFile), configFile.toString());
    } catch (IOException e) {
      throw new CredentialException("cannot read " + configFile + ": " + e.getMessage());
    } catch (ManifestFormatException e) {
      throw new CredentialException("credential file " + e.getMessage());
    }
    String helper = helperFor(root, registryHost);
    if (helper != null) {
      return fromHelper(helper, registryHost);
    }
    JsonNode auths = root.path("auths");
    for (Iterator<Map.Entry<String, JsonNode>> it = auths.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = it.next();
      if (hostOf(entry.getKey()).equals(registryHost)) {
        return fromAuthEntry(entry.getValue(), registryHost);
      }
    }
    String store = text(root, "credsStore");
    return store == null ? Optional.empty() : fromHelper(store, registryHost);
  }

  private static String helperFor(JsonNode root, String registryHost) {
    JsonNode helpers = root.path("credHelpers");
    for (Iterator<Map.Entry<String, JsonNode>> it = helpers.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = it.next();
      if (hostOf(entry.getKey()).equals(registryHost) && entry.getValue().isTextual()) {
        return entry.getValue().textValue();
      }
    }
    return null;
  }

  private Optional<Credential> fromAuthEntry(JsonNode entry, String host) throws CredentialException {
    String auth = text(entry, "auth");
    if (auth != null && !auth.isEmpty()) {
      String decoded;
      try {
        decoded = new String(Base64.getDecoder().decode(auth.trim()), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        throw new CredentialException(
            configFile + ": the 'auth' entry for " + host + " is not valid base64");
      }
      int colon = decoded.indexOf(':');
      if (colon <= 0 || colon == decoded.length() - 1) {
        throw new CredentialException(
            configFile + ": the 'auth' entry for " + host + " is not username:password");
      }
      return Optional.of(new Credential(decoded.substring(0, colon), decoded.substring(colon + 1)));
    }
    String username = text(entry, "username");
    String password = text(entry, "password");
    if (username != null && password != null && !password.isEmpty()) {
      return Optional.of(new Credential(username, password));
    }
    if (text(entry, "identitytoken") != null) {
      throw new CredentialException(
          configFile + ": the entry for " + host + " holds an identity token, which is not supported;"
              + " log in with a username and password or token");
    }
    return Optional.empty();
  }

  private Optional<Credential> fromHelper(String helper, String host) throws CredentialException {
    if (!helper.matches("[A-Za-z0-9_.-]+")) {
      throw new CredentialException(configFile + ": credential helper name '" + helper + "' is invalid");
    }
    String program = "docker-credential-" + helper;
    Process process;
    try {
      process = new ProcessBuilder(program, "get").redirectError(ProcessBuilder.Redirect.DISCARD).start();
    } catch (IOException e) {
      throw new CredentialException(
          configFile + " names credential helper " + program + ", which cannot be run: " + e.getMessage());
    }
    try {
      try (OutputStream stdin = process.getOutputStream()) {
        stdin.write(host.getBytes(StandardCharsets.UTF_8));
      }
      byte[] output = readBounded(process.getInputStream());
      if (!process.waitFor(HELPER_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        throw new CredentialException(program + " did not answer within " + HELPER_TIMEOUT_SECONDS + " s");
      }
      if (process.exitValue() != 0) {
        // Helpers exit non-zero with "credentials not found"; that is "no credential", not an error.
        return Optional.empty();
      }
      JsonNode answer = Json.parse(output, program + " output");
      String username = text(answer, "Username");
      String secret = text(answer, "Secret");
      if (username == null || secret == null || secret.isEmpty()) {
        return Optional.empty();
      }
      return Optional.of(new Credential(username, secret));
    } catch (IOException | ManifestFormatException e) {
      throw new CredentialException(program + " gave no usable answer for " + host);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CredentialException("interrupted while running " + program);
    } finally {
      process.destroyForcibly();
    }
  }

  private static byte[] readBounded(InputStream in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buffer = new byte[4096];
    int n;
    while ((n = in.read(buffer)) >= 0) {
      if (out.size() + n > HELPER_MAX_OUTPUT) {
        throw new IOException("credential helper output exceeds " + HELPER_MAX_OUTPUT + " bytes");
      }
      out.write(buffer, 0, n);
    }
    return out.toByteArray();
  }

  /** {@code https://index.docker.io/v1/} and {@code docker.io} both mean Docker Hub. */
  static String hostOf(String key) {
    String host = key;
    int scheme = host.indexOf("://");
    if (scheme >= 0) {
      host = host.substring(scheme + 3);
    }
    int slash = host.indexOf('/');
    if (slash >= 0) {
      host = host.substring(0, slash);
    }
    if (host.equals("index.docker.io") || host.equals("registry-1.docker.io")) {
      return "docker.io";
    }
    return host;
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value != null && value.isTextual() ? value.textValue() : null;
  }
}
