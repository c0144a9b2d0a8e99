package dev.palisade.scanner.layer;

/** What a tar entry does to the image's filesystem. */
public enum EntryKind {
  FILE,
  DIRECTORY,
  SYMLINK,
  HARDLINK,
  OTHER,
  /** {@code .wh.NAME}: deletes NAME from lower layers. */
  WHITEOUT,
  /** {@code .wh..wh..opq}: hides everything lower layers put in this directory. */
  OPAQUE_WHITEOUT
}
