package dev.palisade.scanner.source;

import dev.palisade.scanner.api.ScanException;

/** An image argument that names no usable image. */
public final class InvalidImageSpecException extends ScanException {
  private static final long serialVersionUID = 1L;

  public InvalidImageSpecException(String spec, String problem) {
    super("image '" + spec + "': " + problem);
  }
}
