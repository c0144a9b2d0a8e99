package dev.palisade.scanner.rules;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A path glob over image paths (no leading slash): {@code **} any number of path segments,
 * {@code *} any characters within a segment, {@code ?} one character. Paths inside nested archives
 * look like {@code app.jar!/BOOT-INF/x}; {@code **} crosses the {@code !/} too.
 *
 * <p>The regex defines the meaning. Before it runs, the glob's literal head and tail (the text
 * before its first and after its last wildcard) are compared with the path: most rule globs are
 * {@code usr/share/doc/**} or {@code **}{@code /*.sh}, so most paths are refused by a
 * {@code startsWith} or {@code endsWith}. Why: one regex match per distinct glob per file was a
 * fifth of the scanner's Java time on a real image. Globs with neither ({@code **}{@code /*entrypoint*})
 * first look for their inner literals, in order, between head and tail: a path without
 * {@code entrypoint} in it cannot match, and that is most paths.
 *
 * @param head the literal text every matching path starts with
 * @param tail the literal text every matching path ends with
 * @param inner the literal runs between wildcards, which every matching path holds in this order
 */
public record PathGlob(String glob, Pattern pattern, String head, String tail, List<String> inner) {

  public PathGlob {
    if (glob == null || glob.isBlank()) {
      throw new IllegalArgumentException("empty glob");
    }
    inner = List.copyOf(inner);
  }

  public static PathGlob of(String glob) {
    String normalized = normalize(glob);
    int first = firstWildcard(normalized);
    String head = first < 0 ? normalized : normalized.substring(0, first);
    int tailStart = first < 0 ? normalized.length() : endOfLastWildcard(normalized);
    String tail = normalized.substring(tailStart);
    List<String> inner = first < 0 ? List.of() : innerLiterals(normalized.substring(first, tailStart));
    return new PathGlob(glob, Pattern.compile(toRegex(normalized), Pattern.DOTALL), head, tail, inner);
  }

  /** The literal runs of a glob part that starts and ends with a wildcard (a {@code **}{@code /} owns its slash). */
  private static List<String> innerLiterals(String middle) {
    List<String> literals = new ArrayList<>();
    StringBuilder run = new StringBuilder();
    for (int i = 0; i < middle.length(); i++) {
      char c = middle.charAt(i);
      if (c == '*' || c == '?') {
        if (c == '*' && i + 1 < middle.length() && middle.charAt(i + 1) == '*') {
          i += i + 2 < middle.length() && middle.charAt(i + 2) == '/' ? 2 : 1;
        }
        if (!run.isEmpty()) {
          literals.add(run.toString());
          run.setLength(0);
        }
      } else {
        run.append(c);
      }
    }
    if (!run.isEmpty()) {
      literals.add(run.toString());
    }
    return literals;
  }

  private static int firstWildcard(String glob) {
    for (int i = 0; i < glob.length(); i++) {
      if (glob.charAt(i) == '*' || glob.charAt(i) == '?') {
        return i;
      }
    }
    return -1;
  }

  /** Where the text after the last wildcard starts; the slash of a {@code **}{@code /} is the wildcard's. */
  private static int endOfLastWildcard(String glob) {
    int end = 0;
    for (int i = 0; i < glob.length(); i++) {
      char c = glob.charAt(i);
      if (c == '*' && i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
        boolean slashAfter = i + 2 < glob.length() && glob.charAt(i + 2) == '/';
        i += slashAfter ? 2 : 1;
        end = i + 1;
      } else if (c == '*' || c == '?') {
        end = i + 1;
      }
    }
    return end;
  }

  /** Strips leading {@code /} and {@code ./}, so {@code /etc/x} and {@code etc/x} mean the same. */
  public static String normalize(String path) {
    String p = path;
    while (p.startsWith("/") || p.startsWith("./")) {
      p = p.startsWith("/") ? p.substring(1) : p.substring(2);
    }
    return p;
  }

  public boolean matches(String path) {
    String p = normalize(path);
    if (!p.startsWith(head) || !p.endsWith(tail) || p.length() < head.length() + tail.length()) {
      return false;
    }
    // Leftmost occurrences, in order: if any match exists, these end no later than its literals do.
    int from = head.length();
    int limit = p.length() - tail.length();
    for (String literal : inner) {
      int at = p.indexOf(literal, from);
      if (at < 0 || at + literal.length() > limit) {
        return false;
      }
      from = at + literal.length();
    }
    return pattern.matcher(p).matches();
  }

  private static String toRegex(String glob) {
    StringBuilder re = new StringBuilder();
    for (int i = 0; i < glob.length(); i++) {
      char c = glob.charAt(i);
      if (c == '*' && i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
        boolean slashAfter = i + 2 < glob.length() && glob.charAt(i + 2) == '/';
        re.append(slashAfter ? "(?:.*/)?" : ".*");
        i += slashAfter ? 2 : 1;
      } else if (c == '*') {
        re.append("[^/]*");
      } else if (c == '?') {
        re.append("[^/]");
      } else {
        re.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return re.toString();
  }

  @Override
  public String toString() {
    return glob;
  }
}
