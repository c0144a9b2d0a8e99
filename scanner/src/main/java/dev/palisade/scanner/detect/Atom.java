package dev.palisade.scanner.detect;

import dev.palisade.scanner.match.HexPattern;
import dev.palisade.scanner.rules.StringDef;

/**
 * One literal the automaton looks for, and what to check when it is found.
 *
 * @param stringIndex the global index of the string it belongs to
 * @param bytes the literal as it appears in the data (case as written)
 * @param caseSensitive when true the exact bytes are compared (the automaton folds case)
 * @param fullwordWidth 0, or the character width (1 ascii, 2 wide) whose neighbours must not be alphanumeric
 * @param hex set for a hex string whose atom is only part of the pattern
 * @param regex set for a regex anchor
 */
record Atom(int stringIndex, byte[] bytes, boolean caseSensitive, int fullwordWidth, HexPattern hex, StringDef.Regex regex) {

  /** Bytes after the atom's end that must be seen before the candidate can be decided. */
  int lookahead() {
    if (regex != null) {
      return regex.maxLength();
    }
    if (hex != null) {
      return hex.maxAfter();
    }
    return fullwordWidth;
  }
}
