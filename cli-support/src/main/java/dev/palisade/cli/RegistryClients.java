package dev.palisade.cli;

import dev.palisade.oci.auth.Credential;
import dev.palisade.oci.auth.CredentialProvider;
import dev.palisade.oci.auth.DockerConfigCredentials;
import dev.palisade.oci.auth.EnvironmentCredentials;
import dev.palisade.oci.registry.RegistryClient;
import dev.palisade.oci.registry.RegistryEvent;
import dev.palisade.oci.registry.RegistryTimeouts;
import dev.palisade.oci.tls.TrustMaterial;
import dev.palisade.oci.tls.TrustMaterialException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Builds registry clients from {@link RegistryOptions}. Credentials are looked up in this order: a
 * password read from stdin, {@code REGISTRY_USERNAME}/{@code REGISTRY_PASSWORD} (or {@code
 * GITHUB_TOKEN} for ghcr.io), then the Docker config file.
 */
public final class RegistryClients {

  private final RegistryOptions options;
  private final Map<String, String> environment;
  private final InputStream stdin;
  private Credential stdinCredential;

  public RegistryClients(RegistryOptions options, Map<String, String> environment, InputStream stdin) {
    this.options = options;
    this.environment = Map.copyOf(environment);
    this.stdin = stdin;
  }

  /** Checks the options and reads stdin once; call before any client is built. */
  public void prepare() throws UsageException, TrustMaterialException {
    if (options.passwordStdin && (options.username == null || options.username.isBlank())) {
      throw new UsageException("--password-stdin needs --username");
    }
    if (!options.passwordStdin && options.username != null) {
      throw new UsageException("--username needs --password-stdin (passwords are never taken from the command line)");
    }
    if (options.registryTimeoutSeconds < 1 || options.registryTimeoutSeconds > 3600) {
      throw new UsageException("--registry-timeout must be between 1 and 3600 seconds");
    }
    for (String host : options.insecureRegistries) {
      if (host.contains("/") || host.isBlank()) {
        throw new UsageException("--insecure-registry takes HOST:PORT, not '" + host + "'");
      }
    }
    if (options.caFile != null) {
      TrustMaterial.fromPemFile(options.caFile);
    }
    if (options.passwordStdin) {
      String secret = readFirstLine();
      if (secret.isEmpty()) {
        throw new UsageException("--password-stdin: standard input was empty");
      }
      stdinCredential = new Credential(options.username, secret);
    }
  }

  private String readFirstLine() throws UsageException {
    try {
      BufferedReader reader = new BufferedReader(new InputStreamReader(stdin, StandardCharsets.UTF_8));
      String line = reader.readLine();
      return line == null ? "" : line.strip();
    } catch (IOException e) {
      throw new UsageException("--password-stdin: cannot read standard input");
    }
  }

  /** A client for the registry named in an image reference. */
  public RegistryClient forRegistry(String registry, Consumer<RegistryEvent> events) throws TrustMaterialException {
    CredentialProvider fromStdin = stdinCredential == null
        ? CredentialProvider.none()
        : CredentialProvider.fixed(registry, stdinCredential);
    CredentialProvider credentials = CredentialProvider.firstOf(fromStdin, new EnvironmentCredentials(environment),
        DockerConfigCredentials.fromDefaultLocation(environment));
    Duration read = Duration.ofSeconds(options.registryTimeoutSeconds);
    return RegistryClient.builder(registry)
        .plainHttp(options.insecureRegistries.contains(registry))
        .sslContext(options.caFile == null ? null : TrustMaterial.fromPemFile(options.caFile))
        .credentials(credentials)
        .timeouts(new RegistryTimeouts(Duration.ofSeconds(Math.min(15, options.registryTimeoutSeconds)), read))
        .userAgent("palisade")
        .events(events)
        .build();
  }
}
