package dev.palisade.gateway.cli;

import dev.palisade.gateway.secrets.MasterKeyRing;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/** Where the master key comes from: a file, else the environment. Never argv, never the config. */
public final class SecretOptions {

  @Option(
      names = "--master-key-file",
      paramLabel = "FILE",
      description = "File holding the master key ring (id:base64 per line). Default: $"
          + MasterKeyRing.ENV_VAR + ".")
  Path masterKeyFile;

  @Option(
      names = "--allow-plaintext-secrets",
      description = "Accept provider keys in plaintext in the config (warned once at start).")
  boolean allowPlaintext;

  Optional<MasterKeyRing> ring() {
    return MasterKeyRing.load(masterKeyFile, System.getenv());
  }
}
