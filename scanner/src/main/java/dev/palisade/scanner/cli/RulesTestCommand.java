package dev.palisade.scanner.cli;

import dev.palisade.cli.UsageException;
import dev.palisade.scanner.detect.Detection;
import dev.palisade.scanner.detect.FileContext;
import dev.palisade.scanner.detect.MatchSession;
import dev.palisade.scanner.detect.RuleEngine;
import dev.palisade.scanner.detect.TextContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code scanner rules test SAMPLE}: runs a rule set over one file, as a layer scan would see it at
 * {@code --path} with {@code --mode}, or over a config value with {@code --config}. Exit 1 when
 * something matched, 0 when nothing did: usable in a rule author's own test scripts.
 */
@Command(name = "test", mixinStandardHelpOptions = true, description = "Run the rules over one sample file and show what matches.")
public final class RulesTestCommand implements Callable<Integer> {

  @Spec CommandSpec spec;
  @Mixin RulesOptions options = new RulesOptions();

  @Parameters(index = "0", paramLabel = "SAMPLE", description = "The sample file.")
  Path sample;

  @Option(names = "--path", paramLabel = "PATH", description = "The path in the image the sample stands for (default: its file name); path gates use it.")
  String path;

  @Option(names = "--mode", paramLabel = "OCTAL", defaultValue = "0644", description = "Unix mode bits the sample has in the image (default 0644), e.g. 4755.")
  String mode;

  @Option(names = "--config", description = "Treat the sample's text as an image-config value (Entrypoint, Cmd, Env...).")
  boolean config;

  @Override
  public Integer call() throws Exception {
    RuleEngine engine = RuleEngine.compile(options.load());
    if (!Files.isRegularFile(sample)) {
      throw new UsageException("no such file: " + sample);
    }
    int modeBits;
    try {
      modeBits = Integer.parseInt(mode, 8);
    } catch (NumberFormatException e) {
      throw new UsageException("--mode must be octal, e.g. 0755 or 4755, not '" + mode + "'");
    }
    List<Detection> found = config
        ? engine.scanText(new TextContext("sample", Files.readString(sample, StandardCharsets.UTF_8)))
        : scanFile(engine, path == null ? sample.getFileName().toString() : path.replaceFirst("^/+", ""), modeBits);
    PrintWriter out = spec.commandLine().getOut();
    if (found.isEmpty()) {
      out.println("no rule matched");
    }
    for (Detection d : found) {
      out.printf("%-9s %-42s %s%n          offset %d: %s%n", d.severity(), d.ruleId(), d.title(), d.offset(), d.evidence());
    }
    out.flush();
    return found.isEmpty() ? ExitCodes.CLEAN : ExitCodes.FINDINGS;
  }

  private List<Detection> scanFile(RuleEngine engine, String imagePath, int modeBits) throws IOException {
    MatchSession session = engine.open(new FileContext(imagePath, Files.size(sample), modeBits));
    try (InputStream in = Files.newInputStream(sample)) {
      byte[] buf = new byte[1 << 16];
      for (int n; session.wantsMore() && (n = in.read(buf)) > 0; ) {
        session.update(buf, 0, n);
      }
    }
    return session.finish();
  }
}
