package dev.palisade.scanner.cli;

import dev.palisade.cli.RegistryClients;
import dev.palisade.cli.RegistryOptions;
import dev.palisade.cli.UsageException;
import dev.palisade.scanner.api.ScanOptions;
import dev.palisade.scanner.api.ScanReport;
import dev.palisade.scanner.detect.Detector;
import dev.palisade.scanner.detect.RuleEngine;
import dev.palisade.scanner.detect.Severity;
import dev.palisade.scanner.image.ImageScanner;
import dev.palisade.scanner.report.TableReport;
import dev.palisade.scanner.source.ImageSources;
import dev.palisade.scanner.source.ImageSpec;
import dev.palisade.scanner.verify.ImageResolver;
import dev.palisade.scanner.verify.ImageVerificationRun;
import dev.palisade.scanner.verify.LayoutWriter;
import dev.palisade.scanner.verify.ResolvedImage;
import dev.palisade.scanner.verify.TrustOptions;
import dev.palisade.scanner.verify.VerificationText;
import dev.palisade.signing.verify.ImageVerification;
import dev.palisade.signing.verify.VerificationException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code scanner pull IMAGE --to oci:DIR}: verify, then scan, and only then write the image. */
@Command(
    name = "pull",
    mixinStandardHelpOptions = true,
    description = {
      "Pulls a registry image by digest only if it verifies (as in 'verify') and its scan is clean.",
      "On any failure nothing is written. The layout receives the image and its bundles, so it verifies offline.",
    })
public final class PullCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "IMAGE", description = "Registry reference (host/repo:tag or host/repo@sha256:...).")
  String image;

  @Option(names = "--to", required = true, paramLabel = "oci:DIR", description = "Where the image goes: a new OCI layout directory.")
  String to;

  @Option(names = "--fail-on", defaultValue = "low", paramLabel = "SEVERITY",
      description = "Refuse on scan findings at or above this severity (default: ${DEFAULT-VALUE}).")
  String failOn;

  @Mixin TrustOptions trust = new TrustOptions();

  @Mixin RegistryOptions registry = new RegistryOptions();

  @Override
  public Integer call() throws Exception {
    if (!to.startsWith("oci:") || to.length() == 4) {
      throw new UsageException("--to takes oci:DIR (docker-daemon is not supported yet), not '" + to + "'");
    }
    Path target = Path.of(to.substring(4));
    Severity threshold = Severity.parse(failOn);
    if (threshold == null) {
      throw new UsageException("--fail-on must be one of info, low, medium, high, critical, not '" + failOn + "'");
    }
    if (image.startsWith("oci:")) {
      throw new UsageException("pull reads from a registry; to check a layout use 'scanner verify oci:DIR'");
    }
    RegistryClients registries = new RegistryClients(registry, System.getenv(), System.in);
    registries.prepare();
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try (ResolvedImage resolved = ImageResolver.resolve(image, null, registries, note -> { })) {
      ImageVerification verification;
      try {
        verification = ImageVerificationRun.run(resolved, trust);
      } catch (VerificationException e) {
        VerifyCommand.report(err, new VerificationException(e.failure(), "not pulled: " + e.getMessage(), e.details()));
        return ExitCodes.of(e);
      }
      out.print(VerificationText.render(resolved, verification));
      Detector detector = RuleEngine.loadDefault();
      ScanReport report;
      try (var source = ImageSources.open(new ImageSpec.Registry(resolved.reference()), registries, event -> { })) {
        report = new ImageScanner(detector, ScanOptions.defaults(), event -> { }).scan(source);
      }
      if (report.hasFindingsAtLeast(threshold)) {
        err.println("scanner: not pulled: " + resolved.reference() + " has findings at or above " + failOn);
        err.print(TableReport.render(report));
        err.flush();
        return ExitCodes.FINDINGS;
      }
      if (!report.allIncomplete().isEmpty()) {
        err.println("scanner: not pulled: the scan of " + resolved.reference() + " is incomplete");
        err.print(TableReport.render(report));
        err.flush();
        return ExitCodes.INCOMPLETE;
      }
      String tag = resolved.reference().tag() != null ? resolved.reference().tag() : resolved.digest().toTagForm();
      LayoutWriter.write(resolved, resolved.store().bundles(resolved.digest()), target, tag);
      out.println("Pulled " + resolved.reference() + " to oci:" + target + ":" + tag + " (verified, scan clean)");
      out.flush();
      return ExitCodes.CLEAN;
    }
  }
}
