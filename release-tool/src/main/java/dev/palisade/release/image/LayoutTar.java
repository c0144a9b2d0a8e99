package dev.palisade.release.image;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/** Unpacks the OCI layout tar jib writes into a directory (regular files only, no path escapes). */
final class LayoutTar {

  private LayoutTar() {}

  static void extract(Path tar, Path dir) throws IOException {
    Files.createDirectories(dir);
    Path root = dir.toAbsolutePath().normalize();
    try (TarArchiveInputStream in = new TarArchiveInputStream(new BufferedInputStream(Files.newInputStream(tar)), "UTF-8")) {
      for (TarArchiveEntry e; (e = in.getNextEntry()) != null; ) {
        if (e.isDirectory()) {
          continue;
        }
        if (!e.isFile()) {
          throw new IOException("unexpected entry in jib's layout tar: " + e.getName());
        }
        Path target = root.resolve(e.getName()).normalize();
        if (!target.startsWith(root)) {
          throw new IOException("entry escapes the layout: " + e.getName());
        }
        Files.createDirectories(target.getParent());
        Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
      }
    }
  }
}
