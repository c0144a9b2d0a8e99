package dev.palisade.scanner.layer;

import com.github.luben.zstd.ZstdInputStreamNoFinalizer;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;

/**
 * Layer compression, detected from the first bytes rather than trusted from the media type: media
 * types lie (Docker's zstd type is not even standard) and a scanner that believes them can be
 * steered past content.
 */
public enum Compression {
  GZIP,
  ZSTD,
  NONE;

  private static final int BUFFER = 64 * 1024;

  /** Peeks at the stream's first bytes; the stream must support mark/reset. */
  public static Compression detect(InputStream in) throws IOException {
    in.mark(4);
    byte[] head = in.readNBytes(4);
    in.reset();
    if (head.length >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b) {
      return GZIP;
    }
    if (head.length == 4 && (head[0] & 0xff) == 0x28 && (head[1] & 0xff) == 0xb5
        && (head[2] & 0xff) == 0x2f && (head[3] & 0xff) == 0xfd) {
      return ZSTD;
    }
    return NONE;
  }

  /** Wraps a buffered stream (as passed to {@link #detect}) in the matching decompressor. */
  public InputStream decompress(BufferedInputStream in) throws IOException {
    return switch (this) {
      case GZIP -> new GZIPInputStream(in, BUFFER);
      case ZSTD -> new BufferedInputStream(new ZstdInputStreamNoFinalizer(in), BUFFER);
      case NONE -> in;
    };
  }

  public String jsonName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
