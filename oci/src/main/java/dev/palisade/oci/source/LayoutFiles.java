package dev.palisade.oci.source;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.util.OptionalLong;

/**
 * Read access to the files of an OCI layout or Docker archive, whether they sit in a directory or
 * inside a tar. Paths are relative, with forward slashes; implementations refuse any that would
 * leave the layout.
 */
interface LayoutFiles extends Closeable {

  /** Opens a file, or returns null when it does not exist. */
  InputStream open(String path) throws IOException;

  /** The file's size, or empty when it does not exist. */
  OptionalLong size(String path) throws IOException;

  /** How to name the layout in messages. */
  String describe();

  /**
   * Reads a small metadata file (index.json, manifest.json, a config) whole, refusing one larger
   * than a manifest may be. {@code what} names the image in messages.
   */
  default byte[] readSmall(String path, String what) throws ImageSourceException {
    OptionalLong size;
    try {
      size = size(path);
    } catch (IOException e) {
      throw new ImageSourceException(what + ": " + e.getMessage(), e);
    }
    if (size.isEmpty()) {
      throw new ImageSourceException(what + ": " + path + " is missing");
    }
    if (size.getAsLong() > dev.palisade.oci.manifest.Json.MAX_DOCUMENT_BYTES) {
      throw new ImageSourceException(what + ": " + path + " is larger than "
          + dev.palisade.oci.manifest.Json.MAX_DOCUMENT_BYTES + " bytes");
    }
    try (InputStream in = open(path)) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new ImageSourceException(what + ": cannot read " + path + ": " + e.getMessage(), e);
    }
  }
}
