package dev.palisade.scanner.cli;

import dev.palisade.cli.UsageException;
import dev.palisade.scanner.rules.RulePack;
import dev.palisade.scanner.rules.RuleSet;
import dev.palisade.scanner.rules.RuleSetLoader;
import dev.palisade.signing.keys.Passwords;
import dev.palisade.signing.keys.PemKeys;
import dev.palisade.signing.sign.BlobSigner;
import dev.palisade.signing.sign.KeyArtifactSigner;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code scanner rules pack DIR -o FILE [--key KEY --public-key PUB]}: one file carrying a rule set
 * and its digest, for air-gapped updates; with a key, also {@code FILE.sigstore.json}, a Sigstore
 * bundle users check with {@code scanner verify-bundle --bundle FILE.sigstore.json --key PUB FILE}
 * before loading the pack with {@code --rules FILE}.
 */
@Command(name = "pack", mixinStandardHelpOptions = true, description = "Pack a rule set into one file with its digest, optionally signed.")
public final class RulesPackCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "DIR|MANIFEST", description = "The rule set (with a ruleset.yaml manifest).")
  Path source;

  @Option(names = {"-o", "--output"}, required = true, paramLabel = "FILE", description = "Where to write the pack.")
  Path output;

  @Option(names = "--key", paramLabel = "KEY", description = "Encrypted ECDSA P-256 private key (release-tool keygen / cosign); password from $COSIGN_PASSWORD.")
  Path key;

  @Option(names = "--public-key", paramLabel = "PUB", description = "Its public key (required with --key; checked against it).")
  Path publicKey;

  @Override
  public Integer call() throws Exception {
    if ((key == null) != (publicKey == null)) {
      throw new UsageException("--key and --public-key go together");
    }
    byte[] pack = RulePack.pack(source);
    try {
      Files.write(output, pack);
    } catch (IOException e) {
      throw new UsageException("cannot write " + output + ": " + e.getMessage());
    }
    // Read back through the loader: what users will load is what was checked here.
    RuleSet loaded = RuleSetLoader.load(output);
    PrintWriter out = spec.commandLine().getOut();
    out.printf("packed %s %s: %d rules, digest %s -> %s%n", loaded.name(), loaded.version(), loaded.rules().size(),
        loaded.digest(), output);
    if (key != null) {
      char[] password = Passwords.fromEnvironment(System.getenv(), Passwords.DEFAULT_VARIABLE);
      try {
        KeyArtifactSigner signer = new KeyArtifactSigner(PemKeys.readPrivateKey(key, password), PemKeys.readPublicKey(publicKey));
        Path bundle = new BlobSigner(signer).signToFile(output);
        out.printf("signed: %s (verify: scanner verify-bundle --bundle %s --key %s %s)%n", bundle, bundle, publicKey, output);
      } finally {
        Arrays.fill(password, '\0');
      }
    }
    out.flush();
    return ExitCodes.CLEAN;
  }
}
