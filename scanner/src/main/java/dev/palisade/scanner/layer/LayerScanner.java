package dev.palisade.scanner.layer;

import dev.palisade.oci.OciException;
import dev.palisade.oci.digest.BlobIntegrityException;
import dev.palisade.oci.manifest.Descriptor;
import dev.palisade.oci.source.ImageSource;
import dev.palisade.scanner.api.Finding;
import dev.palisade.scanner.api.Incomplete;
import dev.palisade.scanner.api.LayerSummary;
import dev.palisade.scanner.api.ScanLimits;
import dev.palisade.scanner.content.ContentScanner;
import dev.palisade.scanner.content.ContentSink;
import dev.palisade.scanner.detect.Detection;
import dev.palisade.scanner.detect.Detector;
import dev.palisade.scanner.detect.FileContext;
import dev.palisade.scanner.detect.Severity;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.function.LongConsumer;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Scans one layer blob in a single streaming pass: verify its digest, detect its compression from
 * the bytes, walk its tar without extracting anything, and feed every file to the detector.
 * Whatever stops the walk early is recorded as incomplete, never silently dropped.
 */
public final class LayerScanner {

  private static final String WHITEOUT_PREFIX = ".wh.";
  private static final String OPAQUE = ".wh..wh..opq";
  private static final int READ_BUFFER = 256 * 1024;
  private static final int TAR_BUFFER = 64 * 1024;

  /** Incompletes about the layer as a whole sort after those about its files. */
  private static final long LAYER_ORDINAL = Long.MAX_VALUE;

  private final ScanLimits limits;
  /** Each thread's content scanner: it holds a 64 KiB buffer, too much to make per file. */
  private final ThreadLocal<ThreadScanning> scanning;

  public LayerScanner(Detector detector, ScanLimits limits) {
    this.limits = limits;
    this.scanning = ThreadLocal.withInitial(() -> new ThreadScanning(detector, limits));
  }

  /** Scans the layer at {@code index}, every file on this thread. */
  public LayerResult scan(ImageSource source, Descriptor layer, int index, LongConsumer progress) {
    return scan(source, layer, index, progress, FileHandoff.none());
  }

  /**
   * Scans the layer at {@code index}; never throws for bad content, only records it. Small files
   * may be handed to threads helping through {@code handoff}; this returns once they are scanned.
   */
  public LayerResult scan(ImageSource source, Descriptor layer, int index, LongConsumer progress, FileHandoff handoff) {
    Collector collector = new Collector(layer, index);
    Walk walk = new Walk(collector, handoff);
    String compression = "unknown";
    long compressed = 0;
    long uncompressed = 0;
    long entries = 0;
    try (InputStream raw = source.openBlob(layer)) {
      CountingInputStream counted = new CountingInputStream(raw, progress);
      BufferedInputStream buffered = new BufferedInputStream(counted, READ_BUFFER);
      Compression detected = Compression.detect(buffered);
      compression = detected.jsonName();
      BoundedDecompressedStream tarStream = new BoundedDecompressedStream(detected.decompress(buffered),
          limits.maxLayerBytes(), limits.maxCompressionRatio(), limits.ratioGraceBytes(), counted::count);
      // The tar reader asks for 512-byte headers and paddings one at a time; straight from the
      // inflater, each of those was a native inflate call of its own. Buffered, inflating runs in
      // large blocks (bulk reads of file bodies still bypass the buffer).
      InputStream tarInput = new BufferedInputStream(tarStream, TAR_BUFFER);
      entries = walk.run(tarInput);
      inspectTrailingData(tarInput, collector);
      // Read the blob to its end so the digest is checked even when the tar ended early.
      buffered.transferTo(OutputStreamSink.INSTANCE);
      compressed = counted.count();
      uncompressed = tarStream.count();
    } catch (BlobIntegrityException e) {
      collector.incomplete("digest-mismatch", "layer bytes do not match the manifest: " + e.getMessage());
      collector.integrityFinding(e.getMessage());
    } catch (LimitExceededException e) {
      collector.incomplete(e.reason(), e.getMessage());
    } catch (OciException e) {
      collector.incomplete("layer-unreadable", e.getMessage());
    } catch (IOException | RuntimeException e) {
      collector.incomplete("corrupt-layer", "layer could not be read to its end: " + describe(e));
    } finally {
      // Handed-off files write to the collector: all must be done before it is read.
      walk.awaitHandedOff();
    }
    LayerSummary summary = new LayerSummary(index, layer.digest().toString(), layer.mediaType(), compression,
        compressed, uncompressed, entries);
    return new LayerResult(summary, collector.entries, collector.findings, collector.incompleteInOrder(),
        collector.dropped);
  }

  /** One layer's tar walk: which files it scans itself and which it hands off. */
  final class Walk {
    private final Collector collector;
    private final FileHandoff handoff;
    /** The current file's place in the layer: orders incompletes whoever scans the file. */
    private long ordinal;
    /** Handed-off files not yet scanned; guarded by the handoff's monitor. */
    int outstanding;

    Walk(Collector collector, FileHandoff handoff) {
      this.collector = collector;
      this.handoff = handoff;
    }

    long run(InputStream tarStream) throws IOException {
      return walk(tarStream, this);
    }

    /**
     * Scans a regular file's body here, or reads it into memory and hands it off when a thread
     * is idle. Sparse entries are always scanned here: their header size is not their length.
     */
    void scanFile(FileContext file, InputStream body, boolean sparse) throws IOException {
      long fileOrdinal = ++ordinal;
      if (sparse || !handoff.wants(file.size())) {
        scanHere(file, body, fileOrdinal);
        return;
      }
      byte[] bytes = new byte[(int) file.size()];
      int filled = 0;
      try {
        int n;
        while (filled < bytes.length && (n = body.read(bytes, filled, bytes.length - filled)) >= 0) {
          filled += n;
        }
      } catch (IOException e) {
        // The layer is damaged: scan what was read, as the streaming path would, then stop.
        scanHere(file, new ByteArrayInputStream(bytes, 0, filled), fileOrdinal);
        throw e;
      }
      FileHandoff.Task task = new FileHandoff.Task(this, file,
          filled == bytes.length ? bytes : Arrays.copyOf(bytes, filled), fileOrdinal);
      if (!handoff.offer(task)) {
        scanHere(file, new ByteArrayInputStream(task.bytes()), fileOrdinal);
      }
    }

    /** Scans an entry's body on this thread (whiteouts' bodies too). */
    void scanHere(FileContext file, InputStream body) throws IOException {
      scanHere(file, body, ++ordinal);
    }

    private void scanHere(FileContext file, InputStream body, long fileOrdinal) throws IOException {
      ThreadScanning mine = scanning.get();
      mine.sink.target(collector, fileOrdinal);
      mine.content.scanFile(file, body, 0);
    }

    /** Scans a file this walk handed off; runs on whichever thread took it. */
    void scanHandedOff(FileHandoff.Task task) {
      ThreadScanning mine = scanning.get();
      mine.sink.target(collector, task.ordinal());
      try {
        mine.content.scanFile(task.file(), new ByteArrayInputStream(task.bytes()), 0);
      } catch (IOException | RuntimeException e) {
        // The bytes are in memory, so this is a fault of the scanner, not of the layer: still, the
        // file was not fully scanned, and saying so is what matters.
        collector.incomplete(task.ordinal(), "file-unreadable", task.file().path(),
            "file could not be scanned: " + describe(e));
      } finally {
        handoff.finished(task);
      }
    }

    void awaitHandedOff() {
      handoff.awaitAll(this);
    }
  }

  private long walk(InputStream tarStream, Walk files) throws IOException {
    Collector collector = files.collector;
    // Block size 512: with the default 10240 the reader swallows whatever follows the
    // end-of-archive marker up to the block boundary, and data hidden there would go unseen.
    TarArchiveInputStream tar = new TarArchiveInputStream(tarStream, 512, "UTF-8");
    long count = 0;
    byte[] skipBuffer = new byte[64 * 1024];
    TarArchiveEntry entry;
    while ((entry = nextEntry(tar, skipBuffer)) != null) {
      if (++count > limits.maxEntriesPerLayer()) {
        throw new LimitExceededException("too-many-entries",
            "layer has more than " + limits.maxEntriesPerLayer() + " entries; the rest were not read");
      }
      String name = entry.getName();
      String problem = PathNames.problemWith(stripDotSlash(name));
      String path = PathNames.normalize(name);
      if (problem != null) {
        collector.structureFinding("layer.suspicious-path", Severity.MEDIUM,
            "tar entry with a suspicious name (" + problem + ")", path, PathNames.printable(name));
      }
      if (entry.isLink()) {
        String target = entry.getLinkName();
        if (PathNames.problemWith(stripDotSlash(target)) != null && target.contains("..")) {
          collector.structureFinding("layer.link-escape", Severity.HIGH,
              "hard link pointing outside the image", path, PathNames.printable(target));
        }
        // A hard link carries no bytes: its target's content was only ever checked under the
        // target's own path, so one landing on a startup-hook or persistence path is reported.
        String location = SensitiveLocations.match(path);
        if (location != null) {
          collector.structureFinding("layer.hardlink-to-sensitive-location", Severity.HIGH,
              "hard link places another file's content at a startup-hook or persistence location (" + location + ")",
              path, PathNames.printable(name) + " -> " + PathNames.printable(target));
        }
      }
      String base = path.substring(path.lastIndexOf('/') + 1);
      String dir = path.contains("/") ? path.substring(0, path.lastIndexOf('/')) : "";
      if (base.equals(OPAQUE)) {
        collector.entries.add(new LayerEntry(dir, EntryKind.OPAQUE_WHITEOUT));
        scanBodyIfAny(entry, tar, files, path);
      } else if (base.startsWith(WHITEOUT_PREFIX)) {
        String deleted = (dir.isEmpty() ? "" : dir + "/") + base.substring(WHITEOUT_PREFIX.length());
        collector.entries.add(new LayerEntry(deleted, EntryKind.WHITEOUT));
        // A whiteout's own body should be empty; one that is not is a hiding place.
        scanBodyIfAny(entry, tar, files, path);
      } else if (entry.isDirectory()) {
        collector.entries.add(new LayerEntry(path, EntryKind.DIRECTORY));
      } else if (entry.isSymbolicLink()) {
        collector.entries.add(new LayerEntry(path, EntryKind.SYMLINK));
      } else if (entry.isLink()) {
        collector.entries.add(new LayerEntry(path, EntryKind.HARDLINK));
      } else if (entry.isFile()) {
        collector.entries.add(new LayerEntry(path, EntryKind.FILE));
        files.scanFile(new FileContext(path, entry.getSize(), entry.getMode()), tar, entry.isSparse());
      } else {
        collector.entries.add(new LayerEntry(path, EntryKind.OTHER));
      }
    }
    return count;
  }

  private static void scanBodyIfAny(TarArchiveEntry entry, TarArchiveInputStream tar, Walk files, String path)
      throws IOException {
    if (entry.isFile() && entry.getSize() > 0) {
      files.scanHere(new FileContext(path, entry.getSize(), entry.getMode()), tar);
    }
  }

  /**
   * Real images (umoci's among them) end their tars without the two zero blocks. commons-compress
   * then reports EOF while looking for the next header: that is the end of the archive, not damage.
   * EOF inside an entry's data is damage: so the current entry is drained first, where such an EOF
   * propagates as an error.
   */
  private static TarArchiveEntry nextEntry(TarArchiveInputStream tar, byte[] skipBuffer) throws IOException {
    if (tar.getCurrentEntry() != null) {
      while (tar.read(skipBuffer, 0, skipBuffer.length) >= 0) {
        // Drain what the detector did not need.
      }
    }
    try {
      return tar.getNextEntry();
    } catch (EOFException e) {
      return null;
    } catch (IOException e) {
      if (String.valueOf(e.getMessage()).contains("Truncated")) {
        return null;
      }
      throw e;
    }
  }

  /** Bytes after the end-of-archive marker that are not zero padding are a hiding place. */
  private void inspectTrailingData(InputStream tarStream, Collector collector) throws IOException {
    byte[] buffer = new byte[64 * 1024];
    long offset = 0;
    long firstNonZero = -1;
    int n;
    while ((n = tarStream.read(buffer)) >= 0) {
      for (int i = 0; i < n && firstNonZero < 0; i++) {
        if (buffer[i] != 0) {
          firstNonZero = offset + i;
        }
      }
      offset += n;
    }
    if (firstNonZero >= 0) {
      collector.structureFinding("layer.trailing-data", Severity.MEDIUM,
          "data after the end of the tar archive", "(after end of archive)",
          (offset - firstNonZero) + " bytes that no tar reader shows");
      collector.incomplete("trailing-data", "bytes after the end of the archive were not scanned as files");
    }
  }

  private static String stripDotSlash(String name) {
    return name.startsWith("./") ? name.substring(2) : name;
  }

  private static String describe(Exception e) {
    String message = e.getMessage();
    return e.getClass().getSimpleName() + (message == null ? "" : ": " + PathNames.printable(message));
  }

  /**
   * Collects one layer's results. Threads helping with handed-off files write here too, so every
   * write is synchronized; incompletes carry the file's ordinal in the layer, so the report lists
   * them in the same order whichever thread scanned which file.
   */
  private final class Collector {
    private final Descriptor layer;
    private final int index;
    private final List<LayerEntry> entries = new ArrayList<>();
    private final List<Finding> findings = new ArrayList<>();
    private final List<OrderedIncomplete> incomplete = new ArrayList<>();
    private long dropped;
    private long nestedBytes;

    Collector(Descriptor layer, int index) {
      this.layer = layer;
      this.index = index;
    }

    void detection(String path, Detection detection) {
      add(new Finding(detection.ruleId(), detection.severity(), detection.title(), "layer",
          layer.digest().toString(), index, path, index, List.of(), -1, detection.offset(), detection.evidence()));
    }

    void structureFinding(String ruleId, Severity severity, String title, String path, String evidence) {
      add(new Finding(ruleId, severity, title, "archive", layer.digest().toString(), index, path, index,
          List.of(), -1, -1, evidence));
    }

    void integrityFinding(String message) {
      structureFinding("layer.digest-mismatch", Severity.HIGH,
          "layer content does not match its digest (tampered or corrupt)", "(layer blob)", message);
    }

    private synchronized void add(Finding finding) {
      if (findings.size() < limits.maxFindings()) {
        findings.add(finding);
      } else {
        dropped++;
      }
    }

    synchronized void incomplete(long ordinal, String reason, String path, String detail) {
      incomplete.add(new OrderedIncomplete(ordinal,
          new Incomplete(reason, "layer " + index + " (" + layer.digest().shortHex() + ") " + path, detail)));
    }

    synchronized void incomplete(String reason, String detail) {
      incomplete.add(new OrderedIncomplete(LAYER_ORDINAL,
          new Incomplete(reason, "layer " + index + " (" + layer.digest().shortHex() + ")", detail)));
    }

    synchronized boolean chargeNestedBytes(long bytes) {
      nestedBytes += bytes;
      return nestedBytes <= limits.maxNestedBytesPerLayer();
    }

    synchronized List<Incomplete> incompleteInOrder() {
      return incomplete.stream().sorted(Comparator.comparingLong(OrderedIncomplete::ordinal))
          .map(OrderedIncomplete::incomplete).toList();
    }
  }

  private record OrderedIncomplete(long ordinal, Incomplete incomplete) {}

  /** Routes a content scanner's results to the layer and file it is scanning at the moment. */
  private static final class FileSink implements ContentSink {
    private Collector collector;
    private long ordinal;

    void target(Collector newCollector, long newOrdinal) {
      this.collector = newCollector;
      this.ordinal = newOrdinal;
    }

    @Override
    public void detection(String path, Detection detection) {
      collector.detection(path, detection);
    }

    @Override
    public void incomplete(String reason, String path, String detail) {
      collector.incomplete(ordinal, reason, path, detail);
    }

    @Override
    public boolean chargeNestedBytes(long bytes) {
      return collector.chargeNestedBytes(bytes);
    }
  }

  /** A thread's content scanner and the sink it writes through. */
  private static final class ThreadScanning {
    final FileSink sink = new FileSink();
    final ContentScanner content;

    ThreadScanning(Detector detector, ScanLimits limits) {
      this.content = new ContentScanner(detector, limits, sink);
    }
  }

  /** Discards bytes; reading a blob to its end is what triggers the digest check. */
  private static final class OutputStreamSink extends java.io.OutputStream {
    static final OutputStreamSink INSTANCE = new OutputStreamSink();

    @Override
    public void write(int b) {}

    @Override
    public void write(byte[] b, int off, int len) {}
  }
}
