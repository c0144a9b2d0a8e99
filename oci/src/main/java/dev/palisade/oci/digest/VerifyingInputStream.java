package dev.palisade.oci.digest;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * Passes a blob through while hashing it, and fails at the end if the digest or the size is wrong.
 * A stream that runs past the declared size fails as soon as it does, so a lying registry cannot
 * make a reader consume unbounded data. The check happens when the underlying stream reports
 * end-of-file: a reader that stops early has verified nothing, which is why callers drain it.
 */
public final class VerifyingInputStream extends FilterInputStream {

  private final Digest expected;
  private final long expectedSize;
  private final MessageDigest digest;
  private long count;
  private boolean verified;

  /**
   * @param expectedSize the descriptor's size, or -1 when unknown (then only the digest is checked)
   */
  public VerifyingInputStream(InputStream in, Digest expected, long expectedSize) {
    super(in);
    this.expected = expected;
    this.expectedSize = expectedSize;
    this.digest = expected.newMessageDigest();
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    int n = super.read(b, off, len);
    if (n < 0) {
      verifyAtEnd();
      return -1;
    }
    digest.update(b, off, n);
    count += n;
    if (expectedSize >= 0 && count > expectedSize) {
      throw new BlobIntegrityException(
          expected, "more bytes than the declared size of " + expectedSize);
    }
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    // Skipping would leave bytes unhashed; read them instead.
    byte[] buffer = new byte[8192];
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

  @Override
  public boolean markSupported() {
    return false;
  }

  /** Bytes read so far. */
  public long count() {
    return count;
  }

  /** True once end-of-file was reached with the right digest and size. */
  public boolean verified() {
    return verified;
  }

  private void verifyAtEnd() throws BlobIntegrityException {
    if (verified) {
      return;
    }
    if (expectedSize >= 0 && count != expectedSize) {
      throw new BlobIntegrityException(
          expected, "ended after " + count + " bytes, declared size is " + expectedSize);
    }
    String actual = HexFormat.of().formatHex(digest.digest());
    if (!actual.equals(expected.hex())) {
      throw new BlobIntegrityException(
          expected, "content digest is " + expected.algorithm() + ":" + actual);
    }
    verified = true;
  }
}
