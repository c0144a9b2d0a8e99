package dev.palisade.oci.source;

import java.io.IOException;
import java.io.InputStream;
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
    return entry == null ? null : tar.getInputStream(entry);
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
