package dev.palisade.release.base;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Writes a POSIX tar with nothing from the build machine in it: fixed owner names (none), fixed
 * times, no device numbers. Our own rather than commons-compress's because that one fills the user
 * name of PAX and GNU long-name headers from the {@code user.name} system property, which would make
 * the layer differ between users.
 */
public final class TarWriter implements AutoCloseable {

  private static final int BLOCK = 512;

  private final OutputStream out;
  private final long mtimeSeconds;

  public TarWriter(OutputStream out, long mtimeSeconds) {
    this.out = out;
    this.mtimeSeconds = mtimeSeconds;
  }

  /** Writes the whole tree in its (sorted) order. Directories get a trailing slash. */
  public void writeAll(RootFs fs) throws IOException {
    for (Map.Entry<String, FsNode> e : fs.entries().entrySet()) {
      write(e.getKey(), e.getValue());
    }
  }

  public void write(String path, FsNode node) throws IOException {
    String name = node.type() == FsNode.Type.DIRECTORY ? path + "/" : path;
    byte type = switch (node.type()) {
      case DIRECTORY -> '5';
      case FILE -> '0';
      case SYMLINK -> '2';
    };
    String link = node.type() == FsNode.Type.SYMLINK ? node.linkTarget() : "";
    long size = node.type() == FsNode.Type.FILE ? node.content().length : 0;
    byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
    byte[] linkBytes = link.getBytes(StandardCharsets.UTF_8);
    if (nameBytes.length > 100 || linkBytes.length > 100) {
      // PAX extended header for long names: its own header uses the same fixed fields.
      StringBuilder records = new StringBuilder();
      if (nameBytes.length > 100) {
        records.append(paxRecord("path", name));
      }
      if (linkBytes.length > 100) {
        records.append(paxRecord("linkpath", link));
      }
      byte[] pax = records.toString().getBytes(StandardCharsets.UTF_8);
      writeHeader(shorten("PaxHeaders/" + name), (byte) 'x', 0644, 0, 0, pax.length, new byte[0]);
      out.write(pax);
      pad(pax.length);
    }
    writeHeader(shorten(name), type, node.mode(), node.uid(), node.gid(), size, shorten(link));
    if (size > 0) {
      out.write(node.content());
      pad(size);
    }
  }

  private static String paxRecord(String key, String value) {
    String body = " " + key + "=" + value + "\n";
    int len = body.getBytes(StandardCharsets.UTF_8).length;
    int total = len + String.valueOf(len).length();
    if (String.valueOf(total).length() != String.valueOf(len).length()) {
      total++;
    }
    return total + body;
  }

  /** The ustar fields keep at most 100 bytes; a PAX record before it carries the full value. */
  private static byte[] shorten(String value) {
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    if (bytes.length <= 100) {
      return bytes;
    }
    byte[] tail = new byte[100];
    System.arraycopy(bytes, bytes.length - 100, tail, 0, 100);
    return tail;
  }

  private void writeHeader(byte[] name, byte type, int mode, int uid, int gid, long size, byte[] link)
      throws IOException {
    byte[] h = new byte[BLOCK];
    put(h, 0, 100, name);
    octal(h, 100, 8, mode);
    octal(h, 108, 8, uid);
    octal(h, 116, 8, gid);
    octal(h, 124, 12, size);
    octal(h, 136, 12, mtimeSeconds);
    for (int i = 148; i < 156; i++) {
      h[i] = ' ';
    }
    h[156] = type;
    put(h, 157, 100, link);
    put(h, 257, 6, "ustar\0".getBytes(StandardCharsets.US_ASCII));
    put(h, 263, 2, "00".getBytes(StandardCharsets.US_ASCII));
    octal(h, 329, 8, 0);
    octal(h, 337, 8, 0);
    long sum = 0;
    for (byte b : h) {
      sum += b & 0xff;
    }
    byte[] chk = String.format(java.util.Locale.ROOT, "%06o\0 ", sum).getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(chk, 0, h, 148, 8);
    out.write(h);
  }

  private static void put(byte[] h, int offset, int length, byte[] value) {
    System.arraycopy(value, 0, h, offset, Math.min(length, value.length));
  }

  private static void octal(byte[] h, int offset, int length, long value) {
    String s = Long.toOctalString(value);
    if (s.length() > length - 1) {
      throw new IllegalArgumentException("value too large for a tar header field: " + value);
    }
    String padded = "0".repeat(length - 1 - s.length()) + s;
    put(h, offset, length - 1, padded.getBytes(StandardCharsets.US_ASCII));
  }

  private void pad(long size) throws IOException {
    int rest = (int) (size % BLOCK);
    if (rest != 0) {
      out.write(new byte[BLOCK - rest]);
    }
  }

  /** Two zero blocks end the archive (some tools, e.g. umoci 0.4.7, forget them). */
  @Override
  public void close() throws IOException {
    out.write(new byte[2 * BLOCK]);
    out.flush();
  }
}
