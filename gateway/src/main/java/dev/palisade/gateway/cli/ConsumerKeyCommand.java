package dev.palisade.gateway.cli;

import dev.palisade.gateway.ExitCode;
import dev.palisade.gateway.consumer.ConsumerKeys;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Prints a new consumer key (give it to the consumer) and its hash (put it in the config). */
@Command(name = "consumer-key", mixinStandardHelpOptions = true,
    description = "Generate a gateway key for a consumer and the key_sha256 for the config.")
public final class ConsumerKeyCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    String key = ConsumerKeys.generate();
    spec.commandLine().getOut().println("key:        " + key);
    spec.commandLine().getOut().println("key_sha256: " + ConsumerKeys.sha256Hex(key));
    return ExitCode.OK.code();
  }
}
