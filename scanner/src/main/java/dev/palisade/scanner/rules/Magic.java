package dev.palisade.scanner.rules;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * A file-type test on the first bytes of a file. {@link Kind#BYTES} is fixed bytes at an offset;
 * {@link Kind#TEXT} means no NUL byte in the first {@value #TEXT_PROBE} bytes; {@link Kind#JSON}
 * means the first byte after up to 64 whitespace bytes is {@code {} or {@code [}.
 *
 * @param name the name in rule files ({@code elf}, {@code text}, ...) or {@code hex@offset}
 */
public record Magic(String name, Kind kind, int offset, byte[] bytes) {

  /** How much of a file's head the gates look at. */
  public static final int TEXT_PROBE = 512;
  /** Magic bytes must end within the probe. */
  public static final int MAX_END = TEXT_PROBE;

  public enum Kind {
    BYTES,
    TEXT,
    JSON
  }

  public Magic {
    if (kind == Kind.BYTES && (bytes == null || bytes.length == 0 || offset < 0 || offset + bytes.length > MAX_END)) {
      throw new IllegalArgumentException("magic bytes must be non-empty and end within the first " + MAX_END + " bytes");
    }
    bytes = bytes == null ? new byte[0] : bytes.clone();
  }

  private static Magic at0(String name, String hex) {
    return new Magic(name, Kind.BYTES, 0, HexFormat.of().parseHex(hex));
  }

  /** Named magics; a name may stand for several alternatives (Mach-O has four). */
  public static List<Magic> named(String name) {
    return switch (name.toLowerCase(Locale.ROOT)) {
      case "elf" -> List.of(at0("elf", "7f454c46"));
      case "pe" -> List.of(at0("pe", "4d5a"));
      case "macho" -> List.of(
          at0("macho", "feedface"), at0("macho", "feedfacf"), at0("macho", "cefaedfe"), at0("macho", "cffaedfe"));
      case "shebang" -> List.of(at0("shebang", "2321"));
      case "zip" -> List.of(at0("zip", "504b0304"));
      case "gzip" -> List.of(at0("gzip", "1f8b"));
      case "text" -> List.of(new Magic("text", Kind.TEXT, 0, null));
      case "json" -> List.of(new Magic("json", Kind.JSON, 0, null));
      default -> null;
    };
  }

  public static final List<String> NAMES = List.of("elf", "pe", "macho", "shebang", "zip", "gzip", "text", "json");

  /** True when {@code head} (the first bytes of the file, at most TEXT_PROBE of them) matches. */
  public boolean test(byte[] head, int length) {
    switch (kind) {
      case TEXT:
        for (int i = 0; i < length; i++) {
          if (head[i] == 0) {
            return false;
          }
        }
        return true;
      case JSON:
        for (int i = 0; i < length && i <= 64; i++) {
          int b = head[i];
          if (b == '{' || b == '[') {
            return true;
          }
          if (!isYaraSpace(b) || i == 64) {
            return false;
          }
        }
        return false;
      default:
        if (offset + bytes.length > length) {
          return false;
        }
        return Arrays.equals(head, offset, offset + bytes.length, bytes, 0, bytes.length);
    }
  }

  /** The whitespace of YARA's {@code \s}, so the JSON gate exports exactly. */
  private static boolean isYaraSpace(int b) {
    return b == ' ' || b == '\t' || b == '\n' || b == 0x0b || b == '\f' || b == '\r';
  }

  @Override
  public byte[] bytes() {
    return bytes.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Magic m && m.name.equals(name) && m.kind == kind && m.offset == offset && Arrays.equals(m.bytes, bytes);
  }

  @Override
  public int hashCode() {
    return name.hashCode() * 31 + Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return name;
  }
}
