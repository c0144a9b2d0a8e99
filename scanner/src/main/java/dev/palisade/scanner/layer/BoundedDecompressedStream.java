package dev.palisade.scanner.layer;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.function.LongSupplier;

/**
 * Guards a decompressed layer stream: stops at the layer size limit and at a compression ratio no
 * real layer has (a decompression bomb), both with a {@link LimitExceededException}.
 */
final class BoundedDecompressedStream extends FilterInputStream {

  private final long maxBytes;
  private final long maxRatio;
  private final long graceBytes;
  private final LongSupplier compressedSoFar;
  private long count;

  BoundedDecompressedStream(InputStream in, long maxBytes, long maxRatio, long graceBytes, LongSupplier compressedSoFar) {
    super(in);
    this.maxBytes = maxBytes;
    this.maxRatio = maxRatio;
    this.graceBytes = graceBytes;
    this.compressedSoFar = compressedSoFar;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] buffer, int offset, int length) throws IOException {
    int n = super.read(buffer, offset, length);
    if (n > 0) {
      count += n;
      check();
    }
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    long skipped = super.skip(n);
    count += Math.max(0, skipped);
    check();
    return skipped;
  }

  private void check() throws LimitExceededException {
    if (count > maxBytes) {
      throw new LimitExceededException("layer-too-large", "layer decompresses to more than " + maxBytes + " bytes");
    }
    if (count > graceBytes) {
      long compressed = Math.max(1, compressedSoFar.getAsLong());
      if (count / compressed > maxRatio) {
        throw new LimitExceededException("decompression-bomb",
            "layer expands more than " + maxRatio + " times (" + count + " bytes from " + compressed + ")");
      }
    }
  }

  long count() {
    return count;
  }
}
