package dev.palisade.oci.source;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.OptionalLong;

/** Layout files in a directory. Symbolic links are not followed: a layout has no reason to hold any. */
final class DirectoryFiles implements LayoutFiles {

  private final Path root;

  DirectoryFiles(Path root) {
    this.root = root.toAbsolutePath().normalize();
  }

  @Override
  public InputStream open(String path) throws IOException {
    Path file = resolve(path);
    if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
      return null;
    }
    return Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS);
  }

  @Override
  public OptionalLong size(String path) throws IOException {
    Path file = resolve(path);
    return Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) ? OptionalLong.of(Files.size(file)) : OptionalLong.empty();
  }

  private Path resolve(String path) throws IOException {
    Path file = root.resolve(path).normalize();
    if (!file.startsWith(root)) {
      throw new IOException("path '" + path + "' leaves the layout directory");
    }
    return file;
  }

  @Override
  public String describe() {
    return root.toString();
  }

  @Override
  public void close() {}
}
