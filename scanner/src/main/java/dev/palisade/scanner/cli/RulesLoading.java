package dev.palisade.scanner.cli;

import dev.palisade.scanner.detect.RuleEngine;
import dev.palisade.scanner.rules.RuleSetException;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The rule set, compiling on its own thread while the command goes on with work that does not
 * need it (opening the image, reading its index and manifest, registry round trips). Each takes
 * about a fifth of a second at start-up, and on a 2-core machine that was a fixed cost of every
 * scan, a tenth of the wall time on a 500 MB image.
 *
 * <p>For {@code scan} with the built-in rules, {@link #prefetch} starts the loading even earlier,
 * from {@code main} before picocli builds the command tree (about 0.2 s of a cold JVM), since the
 * rules cannot depend on anything parsed there.
 *
 * <p>{@link #await()} gives the rule set, or throws what loading it threw: callers that fail for
 * another reason first wait for it, so a bad rule set is still the error reported, as when the
 * rules were loaded before anything else.
 */
final class RulesLoading {
  /** The built-in rule set, loading since {@code main} began; taken by the first {@link #start}. */
  private static final AtomicReference<RulesLoading> PREFETCHED = new AtomicReference<>();

  private final CompletableFuture<RuleEngine> result = new CompletableFuture<>();

  private RulesLoading() {
  }

  /**
   * Starts loading the built-in rule set when {@code args} are a scan that will use it (no
   * {@code --rules}). Anything else, or a mistaken guess, only costs a daemon thread's CPU.
   */
  static void prefetch(String[] args) {
    if (args.length == 0 || !args[0].equals("scan")) {
      return;
    }
    for (String arg : args) {
      if (arg.equals("--") || arg.startsWith("--rules") || arg.equals("-h") || arg.equals("--help")) {
        return;
      }
    }
    PREFETCHED.set(begin(null));
  }

  /** Starts compiling {@code rules} (a file or directory), or the built-in rule set when null. */
  static RulesLoading start(Path rules) {
    RulesLoading prefetched = PREFETCHED.getAndSet(null);
    if (rules == null && prefetched != null) {
      return prefetched;
    }
    return begin(rules);
  }

  private static RulesLoading begin(Path rules) {
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
