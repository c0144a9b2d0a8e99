package dev.palisade.release.base;

import dev.palisade.release.Failure;
import dev.palisade.release.ReleaseException;
import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.apache.commons.compress.archivers.ar.ArArchiveEntry;
import org.apache.commons.compress.archivers.ar.ArArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;
import org.apache.commons.compress.compressors.zstandard.ZstdCompressorInputStream;

/**
 * Unpacks a .deb (an ar archive of {@code control.tar.*} and {@code data.tar.*}) into a {@link
 * RootFs}, in Java, without dpkg: maintainer scripts are not run (what they would generate, the
 * base assembler writes itself). Hard links become copies, so the layer does not depend on entry
 * order. Entry names are decoded as UTF-8, never with the platform charset: with {@code
 * file.encoding} other than UTF-8 (e.g. {@code LANG=C} on JDK 17), a certificate named {@code
 * NetLock_Arany_=Class_Gold=_Főtanúsítvány.crt} got another name, so another base digest.
 */
public final class DebUnpacker {

  private final Predicate<String> keep;

  /** @param keep which normalised paths to install (e.g. no man pages) */
  public DebUnpacker(Predicate<String> keep) {
    this.keep = keep;
  }

  public InstalledPackage unpack(DebianPackage pin, Path deb, RootFs fs) throws ReleaseException {
    String control = null;
    List<String> files = new ArrayList<>();
    boolean sawData = false;
    try (ArArchiveInputStream ar = new ArArchiveInputStream(new BufferedInputStream(Files.newInputStream(deb)))) {
      for (ArArchiveEntry entry; (entry = ar.getNextEntry()) != null; ) {
        String name = entry.getName();
        if (name.startsWith("control.tar")) {
          control = readControl(decompress(name, ar));
        } else if (name.startsWith("data.tar")) {
          sawData = true;
          unpackData(decompress(name, ar), fs, files);
        }
      }
    } catch (IOException e) {
      throw new ReleaseException(Failure.BASE_IMAGE, "cannot unpack " + pin.name() + " (" + deb + "): "
          + e.getMessage(), e);
    }
    if (control == null || !sawData) {
      throw new ReleaseException(Failure.BASE_IMAGE, deb + " is not a Debian package (no control or data member)");
    }
    return new InstalledPackage(pin, control, files);
  }

  private static InputStream decompress(String member, InputStream in) throws IOException {
    // The decompressor must not close the ar stream: the next member is read from it.
    InputStream shielded = new FilterInputStream(in) {
      @Override
      public void close() {}
    };
    if (member.endsWith(".xz")) {
      return new XZCompressorInputStream(shielded);
    }
    if (member.endsWith(".gz")) {
      return new GzipCompressorInputStream(shielded);
    }
    if (member.endsWith(".zst")) {
      return new ZstdCompressorInputStream(shielded);
    }
    if (member.endsWith(".tar")) {
      return shielded;
    }
    throw new IOException("unsupported compression of member " + member);
  }

  private static String readControl(InputStream in) throws IOException {
    try (TarArchiveInputStream tar = new TarArchiveInputStream(in, "UTF-8")) {
      for (TarArchiveEntry e; (e = tar.getNextEntry()) != null; ) {
        if (RootFs.normalise(e.getName()).equals("control")) {
          return new String(tar.readAllBytes(), StandardCharsets.UTF_8);
        }
      }
    }
    throw new IOException("control.tar holds no control file");
  }

  private void unpackData(InputStream in, RootFs fs, List<String> files) throws IOException {
    try (TarArchiveInputStream tar = new TarArchiveInputStream(in, "UTF-8")) {
      for (TarArchiveEntry e; (e = tar.getNextEntry()) != null; ) {
        String path = RootFs.normalise(e.getName());
        if (path.isEmpty() || !keep.test(path)) {
          continue;
        }
        int mode = e.getMode() & 07777;
        if (e.isDirectory()) {
          fs.put(path, FsNode.directory(mode));
        } else if (e.isSymbolicLink()) {
          fs.put(path, FsNode.symlink(e.getLinkName()));
          files.add(path);
        } else if (e.isLink()) {
          if (!keep.test(RootFs.normalise(e.getLinkName()))) {
            continue;
          }
          FsNode target = fs.get(e.getLinkName());
          if (target == null || target.type() != FsNode.Type.FILE) {
            throw new IOException("hard link " + path + " points at " + e.getLinkName() + ", which is not a file");
          }
          fs.put(path, FsNode.file(mode, target.content()));
          files.add(path);
        } else if (e.isFile()) {
          fs.put(path, FsNode.file(mode, tar.readAllBytes()));
          files.add(path);
        } else {
          throw new IOException("unsupported entry type in data.tar: " + e.getName());
        }
      }
    }
  }
}
