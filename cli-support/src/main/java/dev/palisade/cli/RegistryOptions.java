package dev.palisade.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * Registry connection options shared by every command that talks to a registry. There is
 * deliberately no {@code --password}: a secret on argv is visible to every user of the machine
 * through {@code ps} and lands in shell history.
 */
public final class RegistryOptions {

  @Option(names = "--ca-file", paramLabel = "PEM",
      description = "Trust only the CA certificate(s) in this PEM file for the registry (like curl --cacert).")
  public Path caFile;

  @Option(names = "--insecure-registry", paramLabel = "HOST:PORT",
      description = "Talk plain HTTP to this registry (repeatable). Only for local test registries.")
  public List<String> insecureRegistries = new ArrayList<>();

  @Option(names = "--username", paramLabel = "USER",
      description = "Username for --password-stdin.")
  public String username;

  @Option(names = "--password-stdin",
      description = "Read the registry password or token from standard input (first line).")
  public boolean passwordStdin;

  @Option(names = "--registry-timeout", paramLabel = "SECONDS", defaultValue = "60",
      description = "Seconds to wait for a registry to answer a read (default: ${DEFAULT-VALUE}).")
  public int registryTimeoutSeconds;
}
