package dev.palisade.oci.source;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarFile;

/**
 * Layout files inside an uncompressed tar (oci-archive, docker-archive), read with random access so
 * no entry is ever extracted to disk. Symbolic links inside the archive are followed (skopeo writes
 * {@code <id>/layer.tar} as links) but only to other entries of the same archive, with a hop limit.
 */
final class TarArchiveFiles implements LayoutFiles {

  private static final int MAX_LINK_HOPS = 8;

  private final Path archive;
  private final TarFile tar;
  private final Map<String, TarArchiveEntry> entries = new HashMap<>();

  TarArchiveFiles(Path archive) throws IOException {
    this.archive = archive;
    this.tar = new TarFile(archive.toFile());
    for (TarArchiveEntry entry : tar.getEntries()) {
      entries.put(normalize(entry.getName()), entry);
    }
  }

  @Override
  public InputStream open(String path) throws IOException {
    TarArchiveEntry entry = resolve(path);
    if (entry == null) {
      return null;
    }
    if (entry.isSparse()) {
      // Sparse entries need commons-compress's reassembly; image archives never hold them.
      throw new IOException("entry '" + path + "' in " + archive + " is a sparse file, which image archives never hold");
    }
    // Each stream gets its own channel: TarFile's shared channel seeks and reads without a lock,
    // and layers are read in parallel, so sharing it would interleave their bytes.
    FileChannel channel = FileChannel.open(archive, StandardOpenOption.READ);
    try {
      channel.position(entry.getDataOffset());
      return new BoundedInputStream(Channels.newInputStream(channel), entry.getSize());
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  /** Exactly {@code size} bytes from the entry's data; closing it closes its channel. */
  private static final class BoundedInputStream extends java.io.FilterInputStream {
    private long remaining;

    BoundedInputStream(InputStream in, long size) {
      super(in);
      this.remaining = size;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      int n = read(one, 0, 1);
      return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      if (remaining <= 0) {
        return -1;
      }
      int n = super.read(buffer, offset, (int) Math.min(length, remaining));
      if (n > 0) {
        remaining -= n;
      } else if (n < 0) {
        throw new java.io.EOFException("archive ends inside an entry (" + remaining + " bytes missing)");
      }
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      long skipped = super.skip(Math.min(n, remaining));
      remaining -= skipped;
      return skipped;
    }

    @Override
    public int available() throws IOException {
      return (int) Math.min(super.available(), remaining);
    }
  }

  @Override
  public OptionalLong size(String path) throws IOException {
    TarArchiveEntry entry = resolve(path);
    return entry == null ? OptionalLong.empty() : OptionalLong.of(entry.getSize());
  }

  private TarArchiveEntry resolve(String path) throws IOException {
    String current = normalize(path);
    Deque<String> seen = new ArrayDeque<>();
    for (int hop = 0; hop <= MAX_LINK_HOPS; hop++) {
      TarArchiveEntry entry = entries.get(current);
      if (entry == null) {
        return null;
      }
      // Links first: commons-compress calls every non-directory entry a file, links included.
      if (!entry.isSymbolicLink() && !entry.isLink()) {
        return entry.isFile() ? entry : null;
      }
      seen.push(current);
      String target = entry.getLinkName();
      current = entry.isLink() || target.startsWith("/") ? normalize(target) : normalize(parentOf(current) + target);
      if (current.startsWith("../") || current.equals("..")) {
        throw new IOException("entry '" + seen.peek() + "' in " + archive + " links outside the archive");
      }
    }
    throw new IOException("entry '" + normalize(path) + "' in " + archive + " is a chain of more than "
        + MAX_LINK_HOPS + " links");
  }

  private static String parentOf(String path) {
    int slash = path.lastIndexOf('/');
    return slash < 0 ? "" : path.substring(0, slash + 1);
  }

  /** Resolves {@code .} and {@code ..} textually and drops leading {@code ./} and {@code /}. */
  static String normalize(String name) {
    Deque<String> parts = new ArrayDeque<>();
    for (String part : name.split("/")) {
      if (part.isEmpty() || part.equals(".")) {
        continue;
      }
      if (part.equals("..")) {
        if (parts.isEmpty() || parts.peekLast().equals("..")) {
          parts.addLast("..");
        } else {
          parts.removeLast();
        }
        continue;
      }
      parts.addLast(part);
    }
    return String.join("/", parts);
  }

  @Override
  public String describe() {
    return archive.toString();
  }

  @Override
  public void close() throws IOException {
    tar.close();
  }
}
