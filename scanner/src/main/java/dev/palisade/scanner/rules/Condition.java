package dev.palisade.scanner.rules;

import java.util.List;

/**
 * When a rule matches. Deliberately monotone (no {@code not}): once true for a prefix of a file it
 * stays true, so a session can stop looking for a rule as soon as it matched. Negative evidence
 * belongs in gates (path excludes, size, magic).
 */
public sealed interface Condition {

  /** A named string matched at least once. */
  record Str(String name) implements Condition {}

  /** A file fact holds. */
  record FactIs(Fact fact) implements Condition {}

  record Any(List<Condition> of) implements Condition {
    public Any {
      of = List.copyOf(of);
    }
  }

  record All(List<Condition> of) implements Condition {
    public All {
      of = List.copyOf(of);
    }
  }

  /** At least {@code n} of the items hold. */
  record AtLeast(int n, List<Condition> of) implements Condition {
    public AtLeast {
      of = List.copyOf(of);
      if (n < 1 || n > of.size()) {
        throw new IllegalArgumentException("need 1 <= n <= " + of.size() + ", got " + n);
      }
    }
  }
}
