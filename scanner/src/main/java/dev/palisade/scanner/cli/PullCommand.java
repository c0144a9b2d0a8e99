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
import dev.palisade.scanner.verify.DaemonLoader;
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

/** {@code scanner pull IMAGE --to oci:DIR|docker-daemon}: verify, then scan, and only then write or load the image. */
@Command(
    name = "pull",
    mixinStandardHelpOptions = true,
    description = {
      "Pulls a registry image by digest only if it verifies (as in 'verify') and its scan is clean.",
      "On any failure nothing is written. The layout receives the image and its bundles, so it verifies offline.",
      "--to docker-daemon loads the image (by digest) into the Docker daemon at DOCKER_HOST, tagged with its registry name.",
    })
public final class PullCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "IMAGE", description = "Registry reference (host/repo:tag or host/repo@sha256:...).")
  String image;

  @Option(names = "--to", required = true, paramLabel = "oci:DIR|docker-daemon",
      description = "Where the image goes: a new OCI layout directory, or the Docker daemon (DOCKER_HOST).")
  String to;

  @Option(names = "--fail-on", defaultValue = "low", paramLabel = "SEVERITY",
      description = "Refuse on scan findings at or above this severity (default: ${DEFAULT-VALUE}).")
  String failOn;

  @Mixin TrustOptions trust = new TrustOptions();

  @Mixin RegistryOptions registry = new RegistryOptions();

  @Override
  public Integer call() throws Exception {
    boolean daemon = to.equals("docker-daemon");
    if (!daemon && (!to.startsWith("oci:") || to.length() == 4)) {
      throw new UsageException("--to takes oci:DIR or docker-daemon, not '" + to + "'");
    }
    Path target = daemon ? null : Path.of(to.substring(4));
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
    // The daemon is reached first, so an unreachable one is reported before any download; it is changed only at the end.
    try (DaemonLoader loader = daemon ? DaemonLoader.connect() : null;
        ResolvedImage resolved = ImageResolver.resolve(image, null, registries, note -> { })) {
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
      if (daemon) {
        String name = resolved.repositoryPath() + ":" + tag;
        String id = loader.load(resolved, name);
        out.println("Pulled " + resolved.reference() + " into the Docker daemon at " + loader.host() + " as " + name
            + " (image " + id + "; verified, scan clean)");
        out.flush();
        return ExitCodes.CLEAN;
      }
      LayoutWriter.write(resolved, resolved.store().bundles(resolved.digest()), target, tag);
      out.println("Pulled " + resolved.reference() + " to oci:" + target + ":" + tag + " (verified, scan clean)");
      out.flush();
      return ExitCodes.CLEAN;
    }
  }
}
