package dev.palisade.scanner.layer;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.function.LongConsumer;

/** Counts the bytes that pass, and reports progress every {@code step} bytes. */
final class CountingInputStream extends FilterInputStream {

  private static final long STEP = 8L << 20;

  private final LongConsumer progress;
  private long count;
  private long nextReport = STEP;

  CountingInputStream(InputStream in, LongConsumer progress) {
    super(in);
    this.progress = progress;
  }

  @Override
  public int read() throws IOException {
    int b = super.read();
    if (b >= 0) {
      advance(1);
    }
    return b;
  }

  @Override
  public int read(byte[] buffer, int offset, int length) throws IOException {
    int n = super.read(buffer, offset, length);
    if (n > 0) {
      advance(n);
    }
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    long skipped = super.skip(n);
    advance(skipped);
    return skipped;
  }

  private void advance(long n) {
    count += n;
    if (count >= nextReport) {
      nextReport = count + STEP;
      progress.accept(count);
    }
  }

  long count() {
    return count;
  }
}
