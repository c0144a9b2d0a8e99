package dev.palisade.scanner.match;

import java.util.ArrayList;
import java.util.List;

/**
 * Finds a literal that every match of a regex must contain, so the regex only runs in a window
 * around a hit of that literal. A deliberately small analysis: it walks the top level of the
 * pattern, skips groups and classes, and drops characters a quantifier makes optional. A pattern
 * with a top-level {@code |} has no single required literal: the rule author then names anchors.
 */
public final class RegexLiterals {

  private static final String SPECIAL_ESCAPES = "dDwWsSbBntrfvaexcpPQEkuAzZGhHRXN0123456789";

  private RegexLiterals() {}

  /** The longest required literal, or "" when none was found. */
  public static String longestRequired(String regex) {
    String best = "";
    StringBuilder run = new StringBuilder();
    int i = 0;
    int n = regex.length();
    while (i < n) {
      char c = regex.charAt(i);
      if (c == '|') {
        return "";
      }
      boolean literal;
      char value = 0;
      int next;
      if (c == '\\' && i + 1 < n) {
        char e = regex.charAt(i + 1);
        literal = SPECIAL_ESCAPES.indexOf(e) < 0;
        value = e;
        next = i + 2;
      } else if (c == '[') {
        literal = false;
        next = skipClass(regex, i);
      } else if (c == '(') {
        literal = false;
        next = skipGroup(regex, i);
      } else if (".^$*+?{}".indexOf(c) >= 0) {
        literal = false;
        next = i + 1;
      } else {
        literal = true;
        value = c;
        next = i + 1;
      }
      // A quantifier after this atom?
      char q = next < n ? regex.charAt(next) : 0;
      int afterQuantifier = quantifierEnd(regex, next);
      boolean optional = q == '?' || q == '*' || (q == '{' && afterQuantifier > next && quantifierMin(regex, next) == 0);
      boolean repeated = q == '+' || (q == '{' && afterQuantifier > next && quantifierMin(regex, next) > 0);
      if (literal && !optional) {
        run.append(value);
      }
      if (!literal || optional || repeated) {
        best = longer(best, run);
        run.setLength(0);
      }
      i = afterQuantifier;
    }
    return longer(best, run);
  }

  private static String longer(String best, StringBuilder run) {
    return run.length() > best.length() ? run.toString() : best;
  }

  /** Index just past a quantifier ({@code ?}, {@code *}, {@code +}, {@code {n,m}}, with a lazy/possessive suffix) at {@code at}; {@code at} when there is none. */
  private static int quantifierEnd(String regex, int at) {
    if (at >= regex.length()) {
      return at;
    }
    char q = regex.charAt(at);
    int end = at;
    if (q == '?' || q == '*' || q == '+') {
      end = at + 1;
    } else if (q == '{') {
      int close = regex.indexOf('}', at);
      if (close < 0 || !regex.substring(at + 1, close).matches("\\d+(,\\d*)?")) {
        return at;
      }
      end = close + 1;
    } else {
      return at;
    }
    if (end < regex.length() && (regex.charAt(end) == '?' || regex.charAt(end) == '+')) {
      end++;
    }
    return end;
  }

  private static int quantifierMin(String regex, int brace) {
    int end = brace + 1;
    while (end < regex.length() && Character.isDigit(regex.charAt(end))) {
      end++;
    }
    return end == brace + 1 ? 0 : Integer.parseInt(regex.substring(brace + 1, end));
  }

  private static int skipClass(String regex, int open) {
    int i = open + 1;
    if (i < regex.length() && regex.charAt(i) == '^') {
      i++;
    }
    if (i < regex.length() && regex.charAt(i) == ']') {
      i++;
    }
    while (i < regex.length() && regex.charAt(i) != ']') {
      i += regex.charAt(i) == '\\' ? 2 : 1;
    }
    return Math.min(i + 1, regex.length());
  }

  private static int skipGroup(String regex, int open) {
    int depth = 0;
    int i = open;
    while (i < regex.length()) {
      char c = regex.charAt(i);
      if (c == '\\') {
        i += 2;
        continue;
      }
      if (c == '[') {
        i = skipClass(regex, i);
        continue;
      }
      if (c == '(') {
        depth++;
      } else if (c == ')') {
        depth--;
        if (depth == 0) {
          return i + 1;
        }
      }
      i++;
    }
    return regex.length();
  }

  /**
   * Literals one of which every match starts with, or an empty list when that is not evident. The
   * walk takes literal characters, leading groups of pure literal alternatives {@code (a|bc)} and
   * small explicit classes {@code [ =]}, multiplying the prefixes, and stops at the first optional
   * or repeated element (a repeated one still contributes its first occurrence). Lets the engine
   * try a match only at an anchor hit instead of searching a window.
   */
  public static List<String> leadingLiterals(String regex) {
    List<String> prefixes = new ArrayList<>(List.of(""));
    int i = 0;
    int n = regex.length();
    while (i < n) {
      char c = regex.charAt(i);
      List<String> options;
      int next;
      if (c == '(') {
        next = skipGroup(regex, i);
        options = literalAlternatives(regex.substring(i + 1, next - 1));
      } else if (c == '[') {
        next = skipClass(regex, i);
        options = classChars(regex.substring(i + 1, next - 1));
      } else if (c == '\\' && i + 1 < n && SPECIAL_ESCAPES.indexOf(regex.charAt(i + 1)) < 0) {
        next = i + 2;
        options = List.of(String.valueOf(regex.charAt(i + 1)));
      } else if (".^$*+?{}|)\\".indexOf(c) >= 0) {
        break;
      } else {
        next = i + 1;
        options = List.of(String.valueOf(c));
      }
      if (options == null) {
        break;
      }
      int afterQuantifier = quantifierEnd(regex, next);
      if (afterQuantifier != next) {
        char q = regex.charAt(next);
        if (q == '?' || q == '*' || (q == '{' && quantifierMin(regex, next) == 0)) {
          break;
        }
      }
      List<String> grown = new ArrayList<>();
      for (String p : prefixes) {
        for (String o : options) {
          grown.add(p + o);
        }
      }
      if (grown.size() > 64) {
        break;
      }
      prefixes = grown;
      if (afterQuantifier != next) {
        break;
      }
      i = next;
    }
    return prefixes.contains("") ? List.of() : prefixes;
  }

  /** The alternatives of a group body when each is a plain literal; null otherwise. */
  private static List<String> literalAlternatives(String body) {
    List<String> out = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (int i = 0; i < body.length(); i++) {
      char c = body.charAt(i);
      if (c == '|') {
        out.add(current.toString());
        current.setLength(0);
      } else if (c == '\\' && i + 1 < body.length() && SPECIAL_ESCAPES.indexOf(body.charAt(i + 1)) < 0) {
        current.append(body.charAt(++i));
      } else if (".^$*+?{}[]()\\".indexOf(c) >= 0) {
        return null;
      } else {
        current.append(c);
      }
    }
    out.add(current.toString());
    return out.contains("") ? null : out;
  }

  /** The characters of a small explicit class body ({@code " ="}, {@code "12"}); null for ranges, negation, escapes of classes. */
  private static List<String> classChars(String body) {
    if (body.isEmpty() || body.startsWith("^") || body.length() > 8) {
      return null;
    }
    List<String> out = new ArrayList<>();
    for (int i = 0; i < body.length(); i++) {
      char c = body.charAt(i);
      if (c == '\\' && i + 1 < body.length()) {
        char e = body.charAt(++i);
        if (e == 't') {
          out.add("\t");
        } else if (SPECIAL_ESCAPES.indexOf(e) < 0) {
          out.add(String.valueOf(e));
        } else {
          return null;
        }
      } else if (c == '-' && i > 0 && i + 1 < body.length()) {
        return null;
      } else {
        out.add(String.valueOf(c));
      }
    }
    return out;
  }

  /** Unescaped {@code ^} or {@code $} outside a character class; meaningless inside a window. */
  public static boolean hasLineAnchors(String regex) {
    for (int i = 0; i < regex.length(); i++) {
      char c = regex.charAt(i);
      if (c == '\\') {
        i++;
      } else if (c == '[') {
        i = skipClass(regex, i) - 1;
      } else if (c == '^' || c == '$') {
        return true;
      }
    }
    return false;
  }
}
