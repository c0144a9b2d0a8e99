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
public record Gate(List<Magic> magic, long minSize, long maxSize, List<PathGlob> include, List<PathGlob> exclude) {

  public static final long UNLIMITED = Long.MAX_VALUE;

  public Gate {
    magic = List.copyOf(magic);
    include = List.copyOf(include);
    exclude = List.copyOf(exclude);
    if (minSize < 0 || maxSize < minSize) {
      throw new IllegalArgumentException("need 0 <= minSize <= maxSize");
    }
  }

  public static Gate none() {
    return new Gate(List.of(), 0, UNLIMITED, List.of(), List.of());
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
