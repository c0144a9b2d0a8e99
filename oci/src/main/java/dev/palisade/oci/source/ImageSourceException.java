package dev.palisade.oci.source;

import dev.palisade.oci.OciException;

/** An image source (layout, archive, daemon) that cannot be read or is not a valid image. */
public final class ImageSourceException extends OciException {
  private static final long serialVersionUID = 1L;

  public ImageSourceException(String message) {
    super(message);
  }

  public ImageSourceException(String message, Throwable cause) {
    super(message, cause);
  }
}
