package dev.palisade.scanner.cli;

import dev.palisade.cli.BuildInfo;
import dev.palisade.cli.RegistryClients;
import dev.palisade.cli.RegistryOptions;
import dev.palisade.cli.UsageException;
import dev.palisade.oci.manifest.Platform;
import dev.palisade.oci.source.ImageSource;
import dev.palisade.scanner.api.ScanEvent;
import dev.palisade.scanner.api.ScanLimits;
import dev.palisade.scanner.api.ScanOptions;
import dev.palisade.scanner.api.ScanReport;
import dev.palisade.scanner.detect.Detector;
import dev.palisade.scanner.detect.Severity;
import dev.palisade.scanner.ignore.IgnoreFile;
import dev.palisade.scanner.ignore.IgnoreFileException;
import java.time.LocalDate;
import java.time.ZoneOffset;
import dev.palisade.scanner.image.DirectoryScanner;
import dev.palisade.scanner.image.ImageScanner;
import dev.palisade.scanner.report.JsonReport;
import dev.palisade.scanner.report.SarifReport;
import dev.palisade.scanner.report.TableReport;
import dev.palisade.scanner.source.ImageSources;
import dev.palisade.scanner.source.ImageSpec;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code scanner scan IMAGE}: every layer and the config, for miners and known-bad content. */
@Command(
    name = "scan",
    mixinStandardHelpOptions = true,
    description = {
      "Scans every layer and the config of an image for miners, known-bad binaries and suspicious entrypoints.",
      "",
      "IMAGE is a registry reference (host/repo:tag, repo@sha256:..., Docker Hub short names),",
      "oci:DIR[:TAG], oci-archive:FILE[:TAG], docker-archive:FILE[:NAME:TAG], docker-daemon:NAME or dir:ROOTFS.",
      "Registry credentials come from --password-stdin, REGISTRY_USERNAME/REGISTRY_PASSWORD, or the Docker config.json.",
    })
public final class ScanCommand implements Callable<Integer> {

  enum Format { table, json, sarif }

  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "IMAGE", description = "The image to scan.")
  String image;

  @Option(names = "--platform", paramLabel = "OS/ARCH[/VARIANT]",
      description = "Scan only this platform of a multi-platform image (default: every platform).")
  String platform;

  @Option(names = "--format", defaultValue = "table", paramLabel = "FORMAT",
      description = "Report format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  Format format;

  @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write the report to FILE instead of stdout.")
  Path output;

  @Option(names = "--fail-on", defaultValue = "low", paramLabel = "SEVERITY",
      description = "Exit 1 on findings at or above: info, low, medium, high, critical (default: ${DEFAULT-VALUE}).")
  String failOn;

  @Option(names = "--allow-incomplete", description = "Exit 0 instead of 2 when some content could not be read.")
  boolean allowIncomplete;

  @Option(names = "--rules", paramLabel = "DIR|FILE", description = "Use this rule set instead of the built-in one.")
  Path rules;

  @Option(names = "--ignore-file", paramLabel = "FILE",
      description = "Accepted findings (format palisade-ignore/1: rule, path or digest, reason, expires). Expired entries stop suppressing and are reported on stderr.")
  Path ignoreFile;

  @Option(names = {"-q", "--quiet"}, description = "No progress display.")
  boolean quiet;

  @Option(names = "--parallelism", paramLabel = "N", description = "Layers scanned at once (default: up to 4, by cores).")
  Integer parallelism;

  @Option(names = "--max-file-size", paramLabel = "SIZE", converter = SizeConverter.class,
      description = "Read at most this much of one file (default 4G); more makes the scan incomplete.")
  Long maxFileSize;

  @Option(names = "--max-layer-size", paramLabel = "SIZE", converter = SizeConverter.class,
      description = "Read at most this much uncompressed data of one layer (default 64G).")
  Long maxLayerSize;

  @Option(names = "--max-nested-archive-size", paramLabel = "SIZE", converter = SizeConverter.class,
      description = "Hold nested zips up to this size in memory to read their central directory (default 16M); larger ones stream.")
  Long maxNestedArchiveSize;

  @Option(names = "--max-nested-total", paramLabel = "SIZE", converter = SizeConverter.class,
      description = "Decompress at most this much from nested archives per layer, all together (default 4G).")
  Long maxNestedTotal;

  @Option(names = "--max-nesting-depth", paramLabel = "N", description = "Archives within archives opened (default 3).")
  Integer maxNestingDepth;

  @Mixin RegistryOptions registry = new RegistryOptions();

  @Override
  public Integer call() throws Exception {
    Severity threshold = Severity.parse(failOn);
    if (threshold == null) {
      throw new UsageException("--fail-on must be one of info, low, medium, high, critical, not '" + failOn + "'");
    }
    ScanOptions options = options();
    RulesLoading rulesLoading = RulesLoading.start(rules);
    IgnoreFile ignores;
    ScanReport report;
    try {
      ignores = loadIgnoreFile();
      ImageSpec spec = ImageSpec.parse(image);
      if (spec instanceof ImageSpec.Directory directory) {
        report = new DirectoryScanner(rulesLoading.await(), options.limits()).scan(directory.root());
      } else {
        RegistryClients registries = new RegistryClients(registry, System.getenv(), System.in);
        registries.prepare();
        try (ImageSource source = ImageSources.open(spec, registries, event -> { })) {
          source.rootManifest(); // resolved (and kept by the source) while the rules compile
          Detector detector = rulesLoading.await();
          report = new ImageScanner(detector, options, progress()).scan(source);
        }
      }
    } catch (Exception e) {
      rulesLoading.await(); // a bad rule set is still the error reported, as when it loaded first
      throw e;
    }
    if (ignores != null) {
      report = applyIgnoreFile(ignores, report);
    }
    write(render(report));
    if (report.hasFindingsAtLeast(threshold)) {
      return ExitCodes.FINDINGS;
    }
    if (!report.allIncomplete().isEmpty() && !allowIncomplete) {
      return ExitCodes.INCOMPLETE;
    }
    return ExitCodes.CLEAN;
  }

  private IgnoreFile loadIgnoreFile() throws UsageException {
    try {
      return ignoreFile == null ? null : IgnoreFile.load(ignoreFile);
    } catch (IgnoreFileException e) {
      throw new UsageException("--ignore-file: " + e.getMessage());
    }
  }

  /** Suppresses accepted findings; expired or unused entries are said on stderr, never silently dropped. */
  private ScanReport applyIgnoreFile(IgnoreFile ignores, ScanReport report) {
    IgnoreFile.Applied applied = ignores.apply(report, LocalDate.now(ZoneOffset.UTC));
    PrintWriter err = spec.commandLine().getErr();
    applied.notices().forEach(n -> err.println("scanner: " + n));
    if (applied.suppressed() > 0) {
      err.println("scanner: " + applied.suppressed() + " finding(s) suppressed by " + ignoreFile);
    }
    err.flush();
    return applied.report();
  }

  private ScanOptions options() throws UsageException {
    ScanOptions options = ScanOptions.defaults();
    if (platform != null) {
      try {
        options = options.withPlatform(Platform.parse(platform));
      } catch (IllegalArgumentException e) {
        throw new UsageException("--platform: " + e.getMessage());
      }
    }
    if (parallelism != null) {
      if (parallelism < 1 || parallelism > 64) {
        throw new UsageException("--parallelism must be between 1 and 64");
      }
      options = new ScanOptions(options.platform(), options.limits(), parallelism);
    }
    ScanLimits limits = options.limits();
    if (maxFileSize != null) {
      limits = limits.withMaxFileBytes(maxFileSize);
    }
    if (maxLayerSize != null) {
      limits = limits.withMaxLayerBytes(maxLayerSize);
    }
    if (maxNestedArchiveSize != null || maxNestingDepth != null || maxNestedTotal != null) {
      long archive = maxNestedArchiveSize == null ? limits.maxNestedArchiveBytes() : maxNestedArchiveSize;
      if (archive > Integer.MAX_VALUE - 16) {
        throw new UsageException("--max-nested-archive-size must be below 2G (nested archives are held in memory)");
      }
      int depth = maxNestingDepth == null ? limits.maxNestingDepth() : maxNestingDepth;
      if (depth < 0 || depth > 16) {
        throw new UsageException("--max-nesting-depth must be between 0 and 16");
      }
      long total = maxNestedTotal == null ? limits.maxNestedBytesPerLayer() : maxNestedTotal;
      limits = limits.withNesting(depth, (int) archive, limits.maxNestedEntries(), total);
    }
    return options.withLimits(limits);
  }

  private Consumer<ScanEvent> progress() {
    if (quiet || System.console() == null) {
      return event -> { };
    }
    return new ProgressDisplay(spec.commandLine().getErr());
  }

  private String render(ScanReport report) {
    return switch (format) {
      case json -> JsonReport.render(report);
      case sarif -> SarifReport.render(report, BuildInfo.of("scanner").version());
      case table -> TableReport.render(report);
    };
  }

  private void write(String text) throws UsageException {
    if (output == null) {
      PrintWriter out = spec.commandLine().getOut();
      out.print(text);
      out.flush();
      return;
    }
    try {
      Files.writeString(output, text, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UsageException("cannot write the report to " + output + ": " + e.getMessage());
    }
  }
}
