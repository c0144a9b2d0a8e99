package dev.palisade.scanner.detect;

/**
 * What is known of a file before its bytes are read.
 *
 * @param path the file's path inside the image (no leading slash), or inside a nested archive as
 *     {@code outer.jar!/inner/file}
 * @param size the size the archive header declares, in bytes
 * @param mode the Unix mode bits from the archive header (0 when unknown), so rules can see setuid
 *     and executable bits
 */
public record FileContext(String path, long size, int mode) {
  public FileContext {
    if (path == null) {
      throw new IllegalArgumentException("path must not be null");
    }
    if (size < 0) {
      throw new IllegalArgumentException("size must not be negative: " + size);
    }
  }
}
