package dev.palisade.scanner.content;

import com.github.luben.zstd.ZstdInputStreamNoFinalizer;
import dev.palisade.scanner.api.ScanLimits;
import dev.palisade.scanner.detect.Detection;
import dev.palisade.scanner.detect.Detector;
import dev.palisade.scanner.detect.FileContext;
import dev.palisade.scanner.detect.MatchSession;
import dev.palisade.scanner.layer.LimitExceededException;
import dev.palisade.scanner.layer.PathNames;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Enumeration;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveInputStream;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.apache.commons.compress.utils.SeekableInMemoryByteChannel;

/**
 * Feeds one file's bytes to the detector and opens archives found inside it (zip, jar, war, wheel,
 * tar, gzip, zstd), recursively, within the limits. Not thread-safe: one per layer scan.
 *
 * <p>Archives are walked as streams while the same bytes feed the file's own session. Only a zip
 * up to {@link ScanLimits#maxNestedArchiveBytes} is held in memory, to read it through its central
 * directory; larger zips are read from their local headers. Nothing is ever extracted to disk.
 */
public final class ContentScanner {

  private static final int CHUNK = 64 * 1024;

  private final Detector detector;
  private final ScanLimits limits;
  private final ContentSink sink;
  private final byte[] chunk = new byte[CHUNK];

  public ContentScanner(Detector detector, ScanLimits limits, ContentSink sink) {
    this.detector = detector;
    this.limits = limits;
    this.sink = sink;
  }

  /**
   * Scans a file of {@code file.size()} bytes from {@code in}. IOExceptions of {@code in} itself
   * propagate (the caller's stream is broken); problems inside nested archives are reported to the
   * sink as incomplete and scanning goes on.
   */
  public void scanFile(FileContext file, InputStream in, int depth) throws IOException {
    MatchSession session = detector.open(file);
    int headLength = readUpTo(in, chunk, (int) Math.min(CHUNK, file.size()));
    session.update(chunk, 0, headLength);
    ArchiveMagic magic = ArchiveMagic.of(chunk, headLength);
    boolean archive = magic != ArchiveMagic.NONE;
    if (archive && depth < limits.maxNestingDepth()) {
      if (magic == ArchiveMagic.ZIP && file.size() <= limits.maxNestedArchiveBytes()) {
        // Small zips are read through their central directory, the reliable way.
        byte[] spool = spool(file, in, session, headLength);
        report(file.path(), session);
        scanSpooledZip(file.path(), spool, depth + 1);
        return;
      }
      // Everything else streams: the archive is walked as its bytes pass, and the same bytes feed
      // this file's own session on the way, so nothing is held whole in memory.
      byte[] head = java.util.Arrays.copyOf(chunk, headLength);
      TeeToSession tee = new TeeToSession(in, session);
      InputStream whole = new java.io.SequenceInputStream(new ByteArrayInputStream(head), tee);
      scanArchiveStream(file.path(), magic, whole, depth + 1);
      tee.drain();
      report(file.path(), session);
      return;
    } else if (archive) {
      sink.incomplete("nesting-too-deep", file.path(),
          "archive nested deeper than " + limits.maxNestingDepth() + " levels not opened");
    }
    streamRest(file, in, session, headLength);
    report(file.path(), session);
  }

  private byte[] spool(FileContext file, InputStream in, MatchSession session, int headLength) throws IOException {
    byte[] spool = new byte[(int) file.size()];
    System.arraycopy(chunk, 0, spool, 0, headLength);
    int filled = headLength;
    while (filled < spool.length) {
      int n = in.read(spool, filled, spool.length - filled);
      if (n < 0) {
        break;
      }
      if (session.wantsMore()) {
        session.update(spool, filled, n);
      }
      filled += n;
    }
    return filled == spool.length ? spool : java.util.Arrays.copyOf(spool, filled);
  }

  /** Walks an archive as a stream; its failures are this archive's, reported as incomplete. */
  private void scanArchiveStream(String path, ArchiveMagic magic, InputStream in, int depth) {
    try {
      switch (magic) {
        case ZIP -> scanZipStream(path, in, depth);
        case TAR -> scanTar(path, in, depth);
        case GZIP -> scanDecompressed(path, new GZIPInputStream(in, CHUNK), depth);
        case ZSTD -> scanDecompressed(path, new ZstdInputStreamNoFinalizer(in), depth);
        case NONE -> { }
      }
    } catch (LimitExceededException e) {
      sink.incomplete(e.reason(), path, e.getMessage());
    } catch (IOException | RuntimeException e) {
      sink.incomplete("nested-archive-unreadable", path, "cannot read archive: " + describe(e));
    }
  }

  /** A zip too large to hold, read entry by entry from its local headers. */
  private void scanZipStream(String path, InputStream in, int depth) throws IOException {
    ZipArchiveInputStream zip = new ZipArchiveInputStream(in, "UTF-8", true, true);
    int entries = 0;
    ZipArchiveEntry entry;
    while ((entry = zip.getNextEntry()) != null) {
      if (entry.isDirectory()) {
        continue;
      }
      if (++entries > limits.maxNestedEntries()) {
        sink.incomplete("too-many-entries", path, "more than " + limits.maxNestedEntries() + " entries; the rest were not read");
        return;
      }
      String inner = path + "!/" + PathNames.normalize(entry.getName());
      if (!zip.canReadEntryData(entry)) {
        sink.incomplete("nested-entry-unreadable", inner, "unsupported zip compression or encryption");
        continue;
      }
      long declared = entry.getSize() >= 0 ? entry.getSize() : 0;
      scanFile(new FileContext(inner, declared, 0), new NestedBudgetStream(zip, sink, inner), depth);
    }
  }

  private void streamRest(FileContext file, InputStream in, MatchSession session, long alreadyRead) throws IOException {
    long read = alreadyRead;
    while (session.wantsMore()) {
      if (read >= limits.maxFileBytes()) {
        sink.incomplete("file-too-large", file.path(),
            "only the first " + limits.maxFileBytes() + " of " + file.size() + " bytes were scanned");
        return;
      }
      int want = (int) Math.min(CHUNK, limits.maxFileBytes() - read);
      int n = in.read(chunk, 0, want);
      if (n < 0) {
        return;
      }
      session.update(chunk, 0, n);
      read += n;
    }
  }

  private void report(String path, MatchSession session) {
    for (Detection detection : session.finish()) {
      sink.detection(path, detection);
    }
  }

  private void scanSpooledZip(String path, byte[] bytes, int depth) {
    try {
      scanZip(path, bytes, bytes.length, depth);
    } catch (LimitExceededException e) {
      sink.incomplete(e.reason(), path, e.getMessage());
    } catch (IOException | RuntimeException e) {
      // A broken archive inside a layer is content we could not read, never a clean file.
      sink.incomplete("nested-archive-unreadable", path, "cannot read archive: " + describe(e));
    }
  }

  private void scanZip(String path, byte[] bytes, int length, int depth) throws IOException {
    byte[] exact = length == bytes.length ? bytes : java.util.Arrays.copyOf(bytes, length);
    try (ZipFile zip = ZipFile.builder().setSeekableByteChannel(new SeekableInMemoryByteChannel(exact)).get()) {
      int entries = 0;
      for (Enumeration<ZipArchiveEntry> it = zip.getEntriesInPhysicalOrder(); it.hasMoreElements(); ) {
        ZipArchiveEntry entry = it.nextElement();
        if (entry.isDirectory()) {
          continue;
        }
        if (++entries > limits.maxNestedEntries()) {
          sink.incomplete("too-many-entries", path, "more than " + limits.maxNestedEntries() + " entries; the rest were not read");
          return;
        }
        String inner = path + "!/" + PathNames.normalize(entry.getName());
        if (!zip.canReadEntryData(entry)) {
          sink.incomplete("nested-entry-unreadable", inner, "unsupported zip compression or encryption");
          continue;
        }
        long declared = entry.getSize() >= 0 ? entry.getSize() : 0;
        try (InputStream in = new NestedBudgetStream(zip.getInputStream(entry), sink, inner)) {
          scanFile(new FileContext(inner, declared, 0), in, depth);
        }
      }
    }
  }

  private void scanTar(String path, InputStream in, int depth) throws IOException {
    try (TarArchiveInputStream tar = new TarArchiveInputStream(new NestedBudgetStream(in, sink, path))) {
      int entries = 0;
      TarArchiveEntry entry;
      while ((entry = nextTarEntry(tar)) != null) {
        if (!entry.isFile()) {
          continue;
        }
        if (++entries > limits.maxNestedEntries()) {
          sink.incomplete("too-many-entries", path, "more than " + limits.maxNestedEntries() + " entries; the rest were not read");
          return;
        }
        String inner = path + "!/" + PathNames.normalize(entry.getName());
        scanFile(new FileContext(inner, entry.getSize(), entry.getMode()), tar, depth);
      }
    }
  }

  /** A tar that simply ends without its end-of-archive blocks is common and not an error. */
  private static TarArchiveEntry nextTarEntry(TarArchiveInputStream tar) throws IOException {
    try {
      return tar.getNextEntry();
    } catch (java.io.EOFException e) {
      return null;
    }
  }

  /** A gzip/zstd stream: a tar inside is walked, anything else is scanned as one file. */
  private void scanDecompressed(String path, InputStream decompressed, int depth) throws IOException {
    try (InputStream in = new java.io.BufferedInputStream(new NestedBudgetStream(decompressed, sink, path), CHUNK)) {
      in.mark(CHUNK);
      byte[] head = new byte[512];
      int n = readUpTo(in, head, head.length);
      in.reset();
      if (ArchiveMagic.isTar(head, n)) {
        scanTar(path, in, depth);
      } else {
        // Size unknown until read; the detector only uses it for gating, so give the limit.
        scanFile(new FileContext(path + "!", limits.maxFileBytes(), 0), in, depth);
      }
    }
  }

  private static int readUpTo(InputStream in, byte[] buffer, int length) throws IOException {
    int filled = 0;
    while (filled < length) {
      int n = in.read(buffer, filled, length - filled);
      if (n < 0) {
        break;
      }
      filled += n;
    }
    return filled;
  }

  private static String describe(Exception e) {
    String message = e.getMessage();
    return e.getClass().getSimpleName() + (message == null ? "" : ": " + PathNames.printable(message));
  }
}
