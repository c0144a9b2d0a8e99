package dev.palisade.release.cli;

import dev.palisade.cli.RegistryClients;
import dev.palisade.cli.RegistryOptions;
import dev.palisade.cli.UsageException;
import dev.palisade.oci.reference.ImageReference;
import dev.palisade.oci.manifest.Descriptor;
import dev.palisade.oci.registry.RegistryClient;
import dev.palisade.oci.registry.RegistryException;
import dev.palisade.oci.tls.TrustMaterialException;
import dev.palisade.release.Failure;
import dev.palisade.release.ReleaseException;
import dev.palisade.release.base.BaseConfig;
import dev.palisade.release.image.BuiltImage;
import dev.palisade.release.image.ImageConfigFile;
import dev.palisade.release.image.ImageExporter;
import dev.palisade.release.image.ImageTarget;
import dev.palisade.release.pipeline.BuildStage;
import dev.palisade.release.pipeline.GithubOutputs;
import dev.palisade.release.pipeline.WorkDirs;
import dev.palisade.release.provenance.ProvenanceGenerator;
import dev.palisade.release.push.LayoutPusher;
import dev.palisade.release.sbom.MavenLicenses;
import dev.palisade.release.sbom.SbomGenerator;
import dev.palisade.release.scan.ScanGate;
import dev.palisade.release.sign.SignStage;
import dev.palisade.scanner.detect.Severity;
import dev.palisade.scanner.report.JsonReport;
import dev.palisade.scanner.report.TableReport;
import dev.palisade.signing.keyless.KeylessArtifactSigner;
import dev.palisade.signing.oci.LayoutReferrerStore;
import dev.palisade.signing.oci.RegistryReferrerStore;
import dev.palisade.signing.sign.ArtifactSigner;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "release", mixinStandardHelpOptions = true,
    description = {"The whole pipeline: git facts, base, image, scan gate, SBOM, provenance, then the target.",
        "Nothing is written to a registry before the scan gate passes, and what is pushed is the scanned layout.",
        "Writes sbom.cdx.json, provenance.intoto.json and scan.json to --out-dir; in GitHub Actions also"
            + " digest/image/sbom/provenance to $GITHUB_OUTPUT and a summary to $GITHUB_STEP_SUMMARY.",
        "Registry credentials: --username with --password-stdin, REGISTRY_USERNAME/REGISTRY_PASSWORD,"
            + " GITHUB_TOKEN for ghcr.io, or a Docker config.json; never on the command line.",
        "With --sign-key or --keyless, after the scan gate, SBOM and provenance: the image signature, an SBOM"
            + " attestation and a provenance attestation are attached to the image as OCI referrers (in the layout"
            + " for oci:DIR, in the registry after the push), and sbom.cdx.json.sigstore.json and"
            + " provenance.intoto.json.sigstore.json are written. --dry-run attaches nothing to a registry and"
            + " does no keyless signing (that writes to a public log)."})
final class ReleaseCommand implements Callable<Integer>, ReleaseCli.EnvironmentAware {

  @Spec CommandSpec spec;
  @Mixin CommonOptions common;
  @Mixin SignedTagOptions signedTag;
  @Mixin RegistryOptions registry;
  @Mixin SigningOptions signing;

  @Option(names = "--to", paramLabel = "TARGET", defaultValue = "oci:target/release/image",
      description = "oci:DIR, docker-archive:FILE or REGISTRY/REPO[:TAG] (default: ${DEFAULT-VALUE}).")
  String to;

  @Option(names = "--out-dir", paramLabel = "DIR", defaultValue = "target/release",
      description = "Where the SBOM, provenance and scan report go (default: ${DEFAULT-VALUE}).")
  Path outDir;

  @Option(names = "--fail-on", paramLabel = "SEVERITY", defaultValue = "low",
      description = "Scan findings at or above this severity stop the release (default: ${DEFAULT-VALUE}).")
  String failOn;

  @Option(names = "--rules", paramLabel = "PATH", description = "Scanner rules (default: the scanner's own).")
  Path rules;

  @Option(names = "--dry-run", description = "Everything except writing to a registry.")
  boolean dryRun;

  @Option(names = "--json", description = "Print the result as JSON on stdout.")
  boolean json;

  private Map<String, String> env = Map.of();
  private InputStream stdin = InputStream.nullInputStream();

  @Override
  public void environment(Map<String, String> environment, InputStream in) {
    this.env = environment;
    this.stdin = in;
  }

  @Override
  public Integer call() throws ReleaseException, UsageException, IOException {
    Instant started = Instant.now();
    ImageTarget target = ImageTarget.parse(to);
    Severity threshold = Severity.parse(failOn);
    if (threshold == null) {
      throw new UsageException("--fail-on: not a severity: " + failOn);
    }
    signing.validate(registry.passwordStdin);
    SigningOptions.Mode signMode = signing.mode();
    if (signMode != SigningOptions.Mode.NONE && target.kind() == ImageTarget.Kind.DOCKER_ARCHIVE) {
      throw new UsageException("--sign-key/--keyless: a docker-archive has no place for signatures; use oci:DIR or a"
          + " registry");
    }
    ArtifactSigner keySigner = signMode == SigningOptions.Mode.KEY ? signing.loadKey(env, stdin) : null;
    RegistryClients clients = new RegistryClients(registry, env, stdin);
    if (target.kind() == ImageTarget.Kind.REGISTRY && !dryRun) {
      try {
        clients.prepare(); // reads --password-stdin before the long build, fails fast on bad options
      } catch (TrustMaterialException e) {
        throw new UsageException("--ca-file: " + e.getMessage());
      }
    }
    PrintWriter out = spec.commandLine().getOut();
    var events = Output.progress(spec.commandLine().getErr(), json);
    BuildStage.Inputs in = signedTag.apply(common.inputs(env));
    Path layout = target.kind() == ImageTarget.Kind.OCI_LAYOUT ? target.path() : WorkDirs.temporary(in.cacheDir());
    ImageExporter.prepareLayoutDir(layout);
    try {
      BuiltImage image = new BuildStage(events).run(in, layout);
      ScanGate.Result gate = new ScanGate(threshold, rules, events).check(image);
      Files.createDirectories(outDir);
      Files.writeString(outDir.resolve("scan.json"), JsonReport.render(gate.report()));
      if (!gate.passed()) {
        spec.commandLine().getErr().print(TableReport.render(gate.report()));
        GithubOutputs.write(env, Map.of("digest", image.digest().toString()),
            summary(image, "not pushed", 0, "FAILED: " + gate.reason()));
        throw new ReleaseException(Failure.SCAN_GATE, "scan gate: " + gate.reason() + " in " + image.digest()
            + "; nothing was pushed");
      }
      BaseConfig base = BaseConfig.load(in.baseConfig());
      ImageConfigFile imageConfig = ImageConfigFile.load(in.imageConfig(), in.repo());
      String sbom = new SbomGenerator(MavenLicenses.defaultRepository()).generate(image);
      Path sbomFile = outDir.resolve("sbom.cdx.json");
      Files.writeString(sbomFile, sbom);

      String pushed = "";
      if (target.kind() == ImageTarget.Kind.DOCKER_ARCHIVE) {
        ImageExporter.toDockerArchive(image, target.path());
      } else if (target.kind() == ImageTarget.Kind.REGISTRY && !dryRun) {
        ImageReference ref = target.reference();
        try (RegistryClient client = clients.forRegistry(ref.registry(), e -> {})) {
          pushed = new LayoutPusher(client, events).push(image, ref).toString();
        } catch (TrustMaterialException e) {
          throw new UsageException("--ca-file: " + e.getMessage());
        }
      }
      Map<String, String> cliInputs = new LinkedHashMap<>();
      cliInputs.put("to", to);
      cliInputs.put("failOn", threshold.name().toLowerCase(java.util.Locale.ROOT));
      cliInputs.put("snapshot", String.valueOf(common.snapshot));
      cliInputs.put("dryRun", String.valueOf(dryRun));
      String provenance = new ProvenanceGenerator(env).generate(image, base, imageConfig.sourceUrl(),
          new ProvenanceGenerator.Inputs(cliInputs, in.toolVersion(), started, Instant.now()));
      Path provenanceFile = outDir.resolve("provenance.intoto.json");
      Files.writeString(provenanceFile, provenance);

      SignStage.Result signed = null;
      String signedHow = "not signed";
      if (signMode == SigningOptions.Mode.KEY) {
        signed = sign(keySigner, target, image, clients, events, sbomFile, provenanceFile, provenance);
        signedHow = "key " + signing.publicKeyFile();
      } else if (signMode == SigningOptions.Mode.KEYLESS && dryRun) {
        signedHow = "dry run: not signed (keyless signing writes to a transparency log)";
      } else if (signMode == SigningOptions.Mode.KEYLESS) {
        try (KeylessArtifactSigner keyless = signing.openKeyless(env)) {
          signed = sign(keyless, target, image, clients, events, sbomFile, provenanceFile, provenance);
        }
        signedHow = "keyless";
      }

      String imageRef = target.kind() == ImageTarget.Kind.REGISTRY ? target.reference().registry() + "/"
          + target.reference().repository() : image.imageName();
      int components = countComponents(sbom);
      Map<String, String> outputs = new LinkedHashMap<>();
      outputs.put("digest", image.digest().toString());
      outputs.put("image", imageRef + "@" + image.digest());
      outputs.put("sbom", sbomFile.toAbsolutePath().toString());
      outputs.put("provenance", provenanceFile.toAbsolutePath().toString());
      if (signed != null) {
        outputs.put("sbomBundle", signed.sbomBundle().toAbsolutePath().toString());
        outputs.put("provenanceBundle", signed.provenanceBundle().toAbsolutePath().toString());
        if (signed.signature() != null) {
          outputs.put("signature", signed.signature().toString());
          outputs.put("sbomAttestation", signed.sbomAttestation().toString());
          outputs.put("provenanceAttestation", signed.provenanceAttestation().toString());
        }
      }
      GithubOutputs.write(env, outputs, summary(image, pushed.isEmpty() ? (dryRun ? "dry run: not pushed" : target
          .toString()) : pushed, components, "passed: " + gate.reason()) + "| Signed | " + signedHow + " |\n");

      Map<String, Object> result = new LinkedHashMap<>(outputs);
      result.put("version", image.git().version());
      result.put("commit", image.git().commit());
      result.put("target", target.toString());
      result.put("pushed", !pushed.isEmpty());
      result.put("scan", gate.report().status().jsonName());
      result.put("sbomComponents", components);
      result.put("signed", signed == null ? "none" : signMode.name().toLowerCase(java.util.Locale.ROOT));
      if (json) {
        out.println(Output.JSON.writeValueAsString(result));
      } else {
        out.println("image      " + imageRef + ":" + image.tag() + "@" + image.digest());
        out.println("target     " + (pushed.isEmpty() ? target + (dryRun ? " (dry run)" : "") : pushed));
        out.println("scan       " + gate.reason());
        out.println("sbom       " + sbomFile + " (" + components + " components)");
        out.println("provenance " + provenanceFile);
        if (signed != null) {
          out.println("signed     " + signedHow);
          if (signed.signature() != null) {
            out.println("signature  " + signed.signature() + " (referrer; attestations " + signed.sbomAttestation()
                + ", " + signed.provenanceAttestation() + ")");
          }
          out.println("bundles    " + signed.sbomBundle() + ", " + signed.provenanceBundle());
        } else if (signMode != SigningOptions.Mode.NONE) {
          out.println("signed     " + signedHow);
        }
      }
      return 0;
    } finally {
      if (target.kind() != ImageTarget.Kind.OCI_LAYOUT) {
        WorkDirs.delete(layout);
      }
    }
  }

  /**
   * Signs the scanned image where it now lives: in the layout for oci:DIR, in the registry after the
   * push (a dry run against a registry signs the files only).
   */
  private SignStage.Result sign(ArtifactSigner signer, ImageTarget target, BuiltImage image, RegistryClients clients,
      java.util.function.Consumer<dev.palisade.release.ReleaseEvent> events, Path sbomFile, Path provenanceFile,
      String provenance) throws ReleaseException, UsageException, IOException {
    Instant created = image.git().commitTime();
    SignStage stage = new SignStage(signer, events);
    if (target.kind() == ImageTarget.Kind.OCI_LAYOUT) {
      return stage.sign(new LayoutReferrerStore(target.path()), SignStage.layoutDescriptor(target.path(), image.digest()),
          image.imageName(), sbomFile, provenanceFile, provenance, created);
    }
    if (dryRun) {
      return stage.sign(null, null, null, sbomFile, provenanceFile, provenance, created);
    }
    ImageReference ref = target.reference();
    try (RegistryClient client = clients.forRegistry(ref.registry(), e -> {})) {
      Descriptor descriptor = client.getManifest(ref.repository(), image.digest().toString()).descriptor();
      RegistryReferrerStore store = new RegistryReferrerStore(client, ref.registry(), ref.repository(),
          note -> events.accept(new dev.palisade.release.ReleaseEvent("sign", note)));
      return stage.sign(store, descriptor, ref.registry() + "/" + ref.repository(), sbomFile, provenanceFile,
          provenance, created);
    } catch (TrustMaterialException e) {
      throw new UsageException("--ca-file: " + e.getMessage());
    } catch (RegistryException e) {
      throw new ReleaseException(Failure.REGISTRY, "reading back " + image.digest() + " to sign it: " + e.getMessage(), e);
    }
  }

  private static int countComponents(String sbom) throws IOException {
    return Output.JSON.readTree(sbom).path("components").size();
  }

  private static String summary(BuiltImage image, String where, int components, String scan) {
    return "## Release " + image.git().version() + "\n\n"
        + "| | |\n|---|---|\n"
        + "| Image | `" + image.imageName() + ":" + image.tag() + "` |\n"
        + "| Digest | `" + image.digest() + "` |\n"
        + "| Target | " + where + " |\n"
        + "| SBOM components | " + components + " |\n"
        + "| Scan | " + scan + " |\n";
  }
}
