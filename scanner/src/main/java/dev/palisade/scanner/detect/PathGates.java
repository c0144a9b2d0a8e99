package dev.palisade.scanner.detect;

import dev.palisade.scanner.rules.Gate;
import dev.palisade.scanner.rules.PathGlob;
import dev.palisade.scanner.rules.Rule;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The path parts of every rule's {@link Gate}, with each distinct glob evaluated at most once per
 * file. Why: rules share globs ({@code usr/share/doc/**} in most of them, {@code **}{@code /*.sh} in
 * many), a glob is a regex match, and it ran once per rule for every file of an image (a tenth of
 * the scanner's Java CPU time on a real image). Same semantics as {@link Gate#admitsHeader} and
 * {@link Gate#includesPath}.
 */
final class PathGates {

  private final PathGlob[] globs;
  private final int[][] excludeOfRule;
  private final int[][] includeOfRule;

  PathGates(Rule[] rules) {
    Map<String, Integer> index = new HashMap<>();
    List<PathGlob> distinct = new ArrayList<>();
    excludeOfRule = new int[rules.length][];
    includeOfRule = new int[rules.length][];
    for (int r = 0; r < rules.length; r++) {
      excludeOfRule[r] = indexes(rules[r].gate().exclude(), index, distinct);
      includeOfRule[r] = indexes(rules[r].gate().include(), index, distinct);
    }
    globs = distinct.toArray(new PathGlob[0]);
  }

  private static int[] indexes(List<PathGlob> list, Map<String, Integer> index, List<PathGlob> distinct) {
    int[] out = new int[list.size()];
    for (int i = 0; i < out.length; i++) {
      PathGlob g = list.get(i);
      out[i] = index.computeIfAbsent(g.glob(), k -> {
        distinct.add(g);
        return distinct.size() - 1;
      });
    }
    return out;
  }

  /** Glob results for one path, computed on first use. */
  Memo memo(String path) {
    return new Memo(path);
  }

  final class Memo {
    private final String path;
    /** 0: not evaluated yet, 1: no match, 2: match. */
    private final byte[] results = new byte[globs.length];

    private Memo(String path) {
      this.path = path;
    }

    /** {@link Gate#admitsHeader} of rule {@code r}'s gate. */
    boolean admitsHeader(int r, Gate gate, long size) {
      if (size < gate.minSize() || size > gate.maxSize()) {
        return false;
      }
      for (int g : excludeOfRule[r]) {
        if (matches(g)) {
          return false;
        }
      }
      return true;
    }

    /** {@link Gate#includesPath} of rule {@code r}'s gate. */
    boolean includesPath(int r) {
      for (int g : includeOfRule[r]) {
        if (matches(g)) {
          return true;
        }
      }
      return false;
    }

    private boolean matches(int g) {
      if (results[g] == 0) {
        results[g] = (byte) (globs[g].matches(path) ? 2 : 1);
      }
      return results[g] == 2;
    }
  }
}
