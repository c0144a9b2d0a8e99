package dev.palisade.scanner.image;

import dev.palisade.oci.OciException;
import dev.palisade.oci.manifest.Descriptor;
import dev.palisade.oci.manifest.ImageConfig;
import dev.palisade.oci.manifest.ImageIndex;
import dev.palisade.oci.manifest.ImageManifest;
import dev.palisade.oci.manifest.Json;
import dev.palisade.oci.manifest.ManifestDocument;
import dev.palisade.oci.manifest.ManifestFormatException;
import dev.palisade.oci.manifest.ManifestParser;
import dev.palisade.oci.manifest.Platform;
import dev.palisade.oci.source.ImageSource;
import dev.palisade.scanner.api.Finding;
import dev.palisade.scanner.api.Incomplete;
import dev.palisade.scanner.api.LayerSummary;
import dev.palisade.scanner.api.PlatformReport;
import dev.palisade.scanner.api.ScanEvent;
import dev.palisade.scanner.api.ScanException;
import dev.palisade.scanner.api.ScanOptions;
import dev.palisade.scanner.api.ScanReport;
import dev.palisade.scanner.detect.Detector;
import dev.palisade.scanner.layer.FileHandoff;
import dev.palisade.scanner.layer.LayerResult;
import dev.palisade.scanner.layer.LayerScanner;
import dev.palisade.scanner.layer.LayerTimeline;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Consumer;

/**
 * Scans every layer and the config of an image, for every platform of an index (or the one asked
 * for). The public entry point of the scanner library.
 */
public final class ImageScanner {

  /** BuildKit marks its attestation manifests in indexes with this annotation. */
  private static final String REFERENCE_TYPE = "vnd.docker.reference.type";

  private final Detector detector;
  private final ScanOptions options;
  private final Consumer<ScanEvent> events;

  public ImageScanner(Detector detector, ScanOptions options, Consumer<ScanEvent> events) {
    this.detector = detector;
    this.options = options;
    this.events = events;
  }

  /**
   * Scans the image. Throws only when the image itself cannot be resolved (registry, manifest or
   * usage errors); unreadable content inside it makes the report incomplete instead.
   */
  public ScanReport scan(ImageSource source) throws OciException, ScanException {
    ManifestDocument root = source.rootManifest();
    List<PlatformReport> platforms = new ArrayList<>();
    List<Incomplete> incomplete = new ArrayList<>();
    if (root.manifest() instanceof ImageIndex index) {
      List<Descriptor> selected = selectPlatforms(index, source);
      for (Descriptor entry : selected) {
        ManifestDocument child = source.manifest(entry);
        if (child.manifest() instanceof ImageManifest image) {
          platforms.add(scanImage(source, child.digest().toString(), image, entry.platform()));
        } else {
          incomplete.add(new Incomplete("nested-index", entry.digest().toString(),
              "an index inside an index is not scanned"));
        }
      }
    } else {
      platforms.add(scanImage(source, root.digest().toString(), (ImageManifest) root.manifest(), null));
    }
    long bytes = 0;
    List<Finding> allFindings = new ArrayList<>();
    List<Incomplete> allIncomplete = new ArrayList<>(incomplete);
    for (PlatformReport platform : platforms) {
      allFindings.addAll(platform.findings());
      allIncomplete.addAll(platform.incomplete());
      bytes += platform.layers().stream().mapToLong(LayerSummary::compressedBytes).sum();
    }
    return new ScanReport(source.describe(), root.digest().toString(), source.syntheticManifest(), detector.info(),
        ScanReport.statusOf(allFindings, allIncomplete), platforms, incomplete, bytes);
  }

  private List<Descriptor> selectPlatforms(ImageIndex index, ImageSource source) throws ScanException {
    List<Descriptor> images = new ArrayList<>();
    List<String> available = new ArrayList<>();
    for (Descriptor entry : index.manifests()) {
      boolean attestation = entry.annotations().containsKey(REFERENCE_TYPE)
          || (entry.platform() != null && entry.platform().os().equals("unknown"));
      if (attestation || entry.artifactType() != null) {
        continue;
      }
      available.add(entry.platform() == null ? "unknown" : entry.platform().toString());
      if (options.platform() == null || options.platform().accepts(entry.platform())) {
        images.add(entry);
      }
    }
    if (images.isEmpty()) {
      throw new ScanException(options.platform() == null
          ? source.describe() + " is an index without images"
          : source.describe() + " has no image for platform " + options.platform() + " (it has: " + String.join(", ", available) + ")");
    }
    return images;
  }

  private PlatformReport scanImage(ImageSource source, String manifestDigest, ImageManifest manifest, Platform fromIndex)
      throws OciException {
    List<Finding> findings = new ArrayList<>();
    List<Incomplete> incomplete = new ArrayList<>();
    ImageConfig config = null;
    try {
      byte[] bytes = source.readBlob(manifest.config(), Json.MAX_DOCUMENT_BYTES);
      config = ManifestParser.parseConfig(bytes, "config " + manifest.config().digest());
      findings.addAll(new ConfigScanner(detector).scan(config));
    } catch (ManifestFormatException e) {
      incomplete.add(new Incomplete("config-unreadable", manifest.config().digest().toString(), e.getMessage()));
    }
    Platform platform = fromIndex != null ? fromIndex : config == null ? null : config.platform();
    String platformName = platform == null ? "unknown" : platform.toString();
    events.accept(new ScanEvent(ScanEvent.Kind.IMAGE_RESOLVED, platformName, -1, manifest.layers().size(),
        0, manifest.layers().stream().mapToLong(Descriptor::size).sum(), manifestDigest));

    List<LayerResult> layers = scanLayers(source, manifest, platformName);
    LayerTimeline timeline = new LayerTimeline();
    List<LayerSummary> summaries = new ArrayList<>();
    long dropped = 0;
    for (int i = 0; i < layers.size(); i++) {
      LayerResult layer = layers.get(i);
      timeline.record(i, layer.entries());
      summaries.add(layer.summary());
      incomplete.addAll(layer.incomplete());
      dropped += layer.droppedFindings();
    }
    for (LayerResult layer : layers) {
      for (Finding finding : layer.findings()) {
        findings.add(timeline.place(finding));
      }
    }
    if (dropped > 0) {
      incomplete.add(new Incomplete("too-many-findings", manifestDigest,
          dropped + " further findings were counted but not kept"));
    }
    findings.sort(Comparator.comparingInt(Finding::layerIndex).thenComparing(Finding::path)
        .thenComparing(Finding::ruleId).thenComparingLong(Finding::offset));
    return new PlatformReport(platformName, manifestDigest, manifest.config().digest().toString(),
        ScanReport.statusOf(findings, incomplete), summaries, findings, incomplete);
  }

  private List<LayerResult> scanLayers(ImageSource source, ImageManifest manifest, String platform) {
    LayerScanner scanner = new LayerScanner(detector, options.limits());
    List<Descriptor> layers = manifest.layers();
    // As many threads as asked for even when there are fewer layers: a thread with no layer of its
    // own scans files the others hand off (FileHandoff), so a 1-layer image still uses every core.
    int threads = options.parallelism();
    FileHandoff handoff = new FileHandoff(layers.size());
    // Largest layers first: with fewer threads than layers, the biggest one started last would
    // leave the other threads idle at the end (longest-processing-time-first scheduling).
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < layers.size(); i++) {
      order.add(i);
    }
    order.sort(Comparator.comparingLong((Integer i) -> layers.get(i).size()).reversed()
        .thenComparingInt(i -> i));
    AtomicInteger nextInOrder = new AtomicInteger();
    AtomicReferenceArray<LayerResult> results = new AtomicReferenceArray<>(layers.size());
    ExecutorService pool = Executors.newFixedThreadPool(threads, runnable -> {
      Thread thread = new Thread(runnable, "palisade-layer-scan");
      thread.setDaemon(true);
      return thread;
    });
    try {
      List<Future<?>> workers = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        workers.add(pool.submit(() -> {
          int next;
          while ((next = nextInOrder.getAndIncrement()) < order.size()) {
            int index = order.get(next);
            try {
              results.set(index, scanLayer(scanner, source, layers.get(index), index, layers.size(), platform, handoff));
            } finally {
              handoff.layerFinished();
            }
          }
          handoff.helpUntilLayersFinished();
          return null;
        }));
      }
      for (Future<?> worker : workers) {
        worker.get();
      }
      List<LayerResult> inOrder = new ArrayList<>();
      for (int i = 0; i < layers.size(); i++) {
        inOrder.add(results.get(i));
      }
      return inOrder;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("scan interrupted", e);
    } catch (ExecutionException e) {
      // LayerScanner records every failure it can; reaching here is a bug, not bad input.
      throw new IllegalStateException("layer scan failed unexpectedly", e.getCause());
    } finally {
      pool.shutdownNow();
    }
  }

  private LayerResult scanLayer(LayerScanner scanner, ImageSource source, Descriptor layer, int index, int count,
      String platform, FileHandoff handoff) {
    events.accept(new ScanEvent(ScanEvent.Kind.LAYER_STARTED, platform, index, count, 0, layer.size(), layer.digest().toString()));
    LayerResult result = scanner.scan(source, layer, index, bytes ->
        events.accept(new ScanEvent(ScanEvent.Kind.LAYER_PROGRESS, platform, index, count, bytes, layer.size(), null)), handoff);
    events.accept(new ScanEvent(ScanEvent.Kind.LAYER_FINISHED, platform, index, count, layer.size(), layer.size(), null));
    return result;
  }
}
