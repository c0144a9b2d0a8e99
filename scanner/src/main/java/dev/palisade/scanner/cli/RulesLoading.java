package dev.palisade.scanner.cli;

import dev.palisade.scanner.detect.RuleEngine;
import dev.palisade.scanner.rules.RuleSetException;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The rule set, compiling on its own thread while the command goes on with work that does not
 * need it (opening the image, reading its index and manifest, registry round trips). Each takes
 * about a fifth of a second at start-up, and on a 2-core machine that was a fixed cost of every
 * scan, a tenth of the wall time on a 500 MB image.
 *
 * <p>{@link #await()} gives the rule set, or throws what loading it threw: callers that fail for
 * another reason first wait for it, so a bad rule set is still the error reported, as when the
 * rules were loaded before anything else.
 */
final class RulesLoading {
  private final CompletableFuture<RuleEngine> result = new CompletableFuture<>();

  private RulesLoading() {
  }

  /** Starts compiling {@code rules} (a file or directory), or the built-in rule set when null. */
  static RulesLoading start(Path rules) {
    RulesLoading loading = new RulesLoading();
    Thread thread = new Thread(() -> {
      try {
        loading.result.complete(rules == null ? RuleEngine.loadDefault() : RuleEngine.load(rules));
      } catch (Throwable t) { // handed to the waiting thread, which reports it
        loading.result.completeExceptionally(t);
      }
    }, "palisade-rules");
    thread.setDaemon(true); // an early usage error must not wait for the rules to exit
    thread.start();
    return loading;
  }

  RuleEngine await() throws RuleSetException {
    try {
      return result.join();
    } catch (CompletionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuleSetException rules) {
        throw rules;
      }
      if (cause instanceof RuntimeException runtime) {
        throw runtime;
      }
      if (cause instanceof Error error) {
        throw error;
      }
      throw new IllegalStateException(cause);
    }
  }
}
