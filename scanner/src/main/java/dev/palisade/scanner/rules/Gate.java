package dev.palisade.scanner.rules;

import java.util.List;

/**
 * What a file must be before a rule looks at its content. Decided from the archive header (path,
 * size) and the first {@value Magic#TEXT_PROBE} bytes, so files no rule can match are skipped early.
 *
 * <p>Semantics: the size must be within {@code [minSize, maxSize]}; the path must match no exclude
 * glob; and when {@code magic} or {@code include} are given, the file must match at least one magic
 * OR at least one include glob (a script is a file with a shebang or a {@code *.sh} name).
 */
public record Gate(List<Magic> magic, long minSize, long maxSize, List<PathGlob> include, List<PathGlob> exclude,
    int modeAny) {

  public static final long UNLIMITED = Long.MAX_VALUE;
  /** Mode bits a gate may ask for; see {@link #modeAny()}. */
  public static final int SETUID = 04000;
  public static final int SETGID = 02000;
  public static final int EXEC = 0111;

  /**
   * @param modeAny when non-zero, the file's Unix mode must have at least one of these bits (setuid
   *     04000, setgid 02000, any execute bit 0111): how "a new setuid binary" is expressed
   */
  public Gate {
    magic = List.copyOf(magic);
    include = List.copyOf(include);
    exclude = List.copyOf(exclude);
    if (minSize < 0 || maxSize < minSize) {
      throw new IllegalArgumentException("need 0 <= minSize <= maxSize");
    }
    if ((modeAny & ~(SETUID | SETGID | EXEC)) != 0) {
      throw new IllegalArgumentException("modeAny may only hold setuid, setgid and execute bits");
    }
  }

  public Gate(List<Magic> magic, long minSize, long maxSize, List<PathGlob> include, List<PathGlob> exclude) {
    this(magic, minSize, maxSize, include, exclude, 0);
  }

  public static Gate none() {
    return new Gate(List.of(), 0, UNLIMITED, List.of(), List.of(), 0);
  }

  /** The mode test: true without one, else when {@code mode} has one of the bits asked for. */
  public boolean admitsMode(int mode) {
    return modeAny == 0 || (mode & modeAny) != 0;
  }

  /** The decision that needs no content: size and excluded paths. */
  public boolean admitsHeader(String path, long size) {
    if (size < minSize || size > maxSize) {
      return false;
    }
    for (PathGlob g : exclude) {
      if (g.matches(path)) {
        return false;
      }
    }
    return true;
  }

  public boolean includesPath(String path) {
    for (PathGlob g : include) {
      if (g.matches(path)) {
        return true;
      }
    }
    return false;
  }

  /** True when this gate looks at content type at all. */
  public boolean hasTypeTest() {
    return !magic.isEmpty() || !include.isEmpty();
  }
}
