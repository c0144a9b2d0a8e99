package dev.palisade.gateway.cli;

import dev.palisade.gateway.ExitCode;
import dev.palisade.gateway.secrets.MasterKeyRing;
import dev.palisade.gateway.secrets.SecretCipher;
import dev.palisade.gateway.secrets.SecretException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code gateway secrets encrypt} and {@code gateway secrets generate-master-key}. */
@Command(name = "secrets", mixinStandardHelpOptions = true,
    description = "Encrypt provider keys for the config.",
    subcommands = {SecretsCommand.Encrypt.class, SecretsCommand.GenerateMasterKey.class})
public final class SecretsCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return ExitCode.USAGE.code();
  }

  /** Reads the plaintext from stdin, so it never sits in argv or shell history. */
  @Command(name = "encrypt", mixinStandardHelpOptions = true,
      description = "Read a provider key from stdin and print its enc:v1: value.")
  public static final class Encrypt implements Callable<Integer> {

    @Mixin SecretOptions secrets;
    @Spec CommandSpec spec;
    static InputStream stdin = System.in;

    @Override
    public Integer call() throws IOException {
      MasterKeyRing ring = secrets.ring().orElseThrow(() -> new SecretException(
          "no master key: set " + MasterKeyRing.ENV_VAR + " or pass --master-key-file FILE"
              + " (create one with 'gateway secrets generate-master-key')"));
      String plaintext = readAll(stdin).strip();
      if (plaintext.isEmpty()) {
        throw new SecretException("stdin is empty: pipe the provider key in, e.g. 'gateway secrets encrypt < key.txt'");
      }
      spec.commandLine().getOut().println(new SecretCipher(ring).encrypt(plaintext));
      return ExitCode.OK.code();
    }

    private static String readAll(InputStream in) throws IOException {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      in.transferTo(out);
      return out.toString(StandardCharsets.UTF_8);
    }
  }

  /** Prints a new master key ring entry; store it in a secret store, not in the config. */
  @Command(name = "generate-master-key", mixinStandardHelpOptions = true,
      description = "Print a new random master key as id:base64.")
  public static final class GenerateMasterKey implements Callable<Integer> {

    @Option(names = "--id", defaultValue = "k1", description = "Key id written into encrypted values (default: ${DEFAULT-VALUE}).")
    String id;

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      spec.commandLine().getOut().println(MasterKeyRing.generate(id));
      return ExitCode.OK.code();
    }
  }
}
