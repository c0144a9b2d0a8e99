package dev.palisade.scanner.content;

import dev.palisade.scanner.layer.LimitExceededException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/** Charges every byte read from a nested archive to the layer's budget; a zip bomb runs it dry. */
final class NestedBudgetStream extends FilterInputStream {

  private final ContentSink sink;
  private final String path;

  NestedBudgetStream(InputStream in, ContentSink sink, String path) {
    super(in);
    this.sink = sink;
    this.path = path;
  }

  @Override
  public int read() throws IOException {
    int b = super.read();
    if (b >= 0) {
      charge(1);
    }
    return b;
  }

  @Override
  public int read(byte[] buffer, int offset, int length) throws IOException {
    int n = super.read(buffer, offset, length);
    if (n > 0) {
      charge(n);
    }
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    long skipped = super.skip(n);
    charge(skipped);
    return skipped;
  }

  private void charge(long n) throws LimitExceededException {
    if (!sink.chargeNestedBytes(n)) {
      throw new LimitExceededException("nested-bytes-exceeded",
          "archives nested in this layer decompress to more than the allowed total; stopped in " + path);
    }
  }
}
