package dev.palisade.scanner.content;

import dev.palisade.scanner.detect.MatchSession;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Hands every byte read through it to a file's match session too, so an archive can be walked and
 * scanned as a file in the same single pass.
 */
final class TeeToSession extends FilterInputStream {

  private final MatchSession session;

  TeeToSession(InputStream in, MatchSession session) {
    super(in);
    this.session = session;
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
    if (n > 0 && session.wantsMore()) {
      session.update(buffer, offset, n);
    }
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    // Skipped bytes would never reach the session: read them instead.
    byte[] buffer = new byte[(int) Math.min(64 * 1024, Math.max(1, n))];
    long skipped = 0;
    while (skipped < n) {
      int r = read(buffer, 0, (int) Math.min(buffer.length, n - skipped));
      if (r < 0) {
        break;
      }
      skipped += r;
    }
    return skipped;
  }

  /** Reads what the archive walk left, while the session still wants it. */
  void drain() throws IOException {
    byte[] buffer = new byte[64 * 1024];
    while (session.wantsMore() && read(buffer, 0, buffer.length) >= 0) {
      // The session gets the bytes in read().
    }
  }

  @Override
  public void close() {
    // The underlying stream is the layer's tar entry: the layer walk owns it.
  }
}
