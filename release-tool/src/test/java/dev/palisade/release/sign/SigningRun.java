package dev.palisade.release.sign;

import dev.palisade.scanner.cli.ScannerCli;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;

/** The scanner CLI in this JVM (stdin swapped in for --password-stdin), as a user runs {@code scanner verify}. */
final class SigningRun {

  record Run(int exitCode, String out, String err) {
    @Override
    public String toString() {
      return "exit " + exitCode + "\n--- stdout\n" + out + "\n--- stderr\n" + err;
    }
  }

  private SigningRun() {}

  static synchronized Run scanner(String stdin, String... args) {
    InputStream saved = System.in;
    System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
    try {
      CommandLine cli = ScannerCli.newCommandLine();
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      cli.setOut(new PrintWriter(out, true));
      cli.setErr(new PrintWriter(err, true));
      int code = cli.execute(args);
      return new Run(code, out.toString(), err.toString());
    } finally {
      System.setIn(saved);
    }
  }
}
