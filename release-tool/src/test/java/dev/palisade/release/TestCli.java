package dev.palisade.release;

import dev.palisade.release.cli.ReleaseCli;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import picocli.CommandLine;

/** Runs the release-tool CLI in this JVM with an injected environment; captures stdout and stderr. */
public final class TestCli {

  public record Run(int exitCode, String out, String err) {
    @Override
    public String toString() {
      return "exit " + exitCode + "\n--- stdout\n" + out + "\n--- stderr\n" + err;
    }
  }

  private TestCli() {}

  public static Run run(Map<String, String> env, String... args) {
    return runWithStdin(env, new byte[0], args);
  }

  public static Run runWithStdin(Map<String, String> env, byte[] stdin, String... args) {
    CommandLine cli = ReleaseCli.newCommandLine(env, new ByteArrayInputStream(stdin));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int code = cli.execute(args);
    return new Run(code, out.toString(), err.toString());
  }
}
