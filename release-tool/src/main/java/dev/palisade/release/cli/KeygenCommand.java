package dev.palisade.release.cli;

import dev.palisade.cli.UsageException;
import dev.palisade.release.Failure;
import dev.palisade.release.ReleaseException;
import dev.palisade.signing.keys.KeyException;
import dev.palisade.signing.keys.KeyPairFiles;
import dev.palisade.signing.keys.Passwords;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "keygen", mixinStandardHelpOptions = true,
    description = {"Generates an ECDSA P-256 signing key pair: PREFIX.key (password-encrypted PKCS#8 PEM, mode 0600;"
        + " cosign import-key-pair and openssl pkey read it) and PREFIX.pub. Existing files are never overwritten.",
        "The password comes from $" + Passwords.DEFAULT_VARIABLE + " or, with --password-stdin, from the first line"
            + " of standard input; never from the command line."})
final class KeygenCommand implements Callable<Integer>, ReleaseCli.EnvironmentAware {

  @Spec CommandSpec spec;

  @Option(names = "--output-prefix", paramLabel = "PREFIX", required = true,
      description = "Writes PREFIX.key and PREFIX.pub.")
  Path prefix;

  @Option(names = "--password-stdin", description = "Read the key password from the first line of standard input.")
  boolean passwordStdin;

  private Map<String, String> env = Map.of();
  private InputStream stdin = InputStream.nullInputStream();

  @Override
  public void environment(Map<String, String> environment, InputStream in) {
    this.env = environment;
    this.stdin = in;
  }

  @Override
  public Integer call() throws ReleaseException, UsageException {
    char[] password = SigningOptions.password(env, stdin, passwordStdin, "--password-stdin");
    try {
      KeyPairFiles.Written written = KeyPairFiles.generate(prefix, password);
      PrintWriter out = spec.commandLine().getOut();
      out.println("private key " + written.privateKey());
      out.println("public key  " + written.publicKey());
      out.println("key hint    " + written.hint());
      return 0;
    } catch (KeyException e) {
      throw new ReleaseException(Failure.SIGNING, "keygen: " + e.getMessage(), e);
    } finally {
      Arrays.fill(password, '\0');
    }
  }
}
