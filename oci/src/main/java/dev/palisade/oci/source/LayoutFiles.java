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
}
