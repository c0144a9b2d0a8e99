package dev.palisade.scanner.content;

/** Recognises the archive formats we open inside layers, by content, never by file name. */
enum ArchiveMagic {
  ZIP,
  GZIP,
  ZSTD,
  TAR,
  NONE;

  static ArchiveMagic of(byte[] head, int length) {
    if (length >= 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4) {
      return ZIP;
    }
    if (length >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b) {
      return GZIP;
    }
    if (length >= 4 && (head[0] & 0xff) == 0x28 && (head[1] & 0xff) == 0xb5 && (head[2] & 0xff) == 0x2f
        && (head[3] & 0xff) == 0xfd) {
      return ZSTD;
    }
    if (isTar(head, length)) {
      return TAR;
    }
    return NONE;
  }

  /** POSIX and GNU tar both put "ustar" at offset 257. */
  static boolean isTar(byte[] head, int length) {
    return length >= 262 && head[257] == 'u' && head[258] == 's' && head[259] == 't' && head[260] == 'a'
        && head[261] == 'r';
  }
}
