package dev.palisade.oci.digest;

import java.io.IOException;

/**
 * The bytes of a blob are not the bytes its descriptor promised: wrong digest, or more or fewer
 * bytes than the declared size. An IOException because it surfaces while a stream is read; callers
 * that catch IOException around a stream must still treat it as an integrity failure.
 */
public final class BlobIntegrityException extends IOException {
  private static final long serialVersionUID = 1L;

  private final Digest expected;

  public BlobIntegrityException(Digest expected, String problem) {
    super("blob " + expected + ": " + problem);
    this.expected = expected;
  }

  public Digest expected() {
    return expected;
  }
}
