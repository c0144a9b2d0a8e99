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
    // One pass: the regex, and the literal runs between wildcards (the first is the head, the
    // last the tail; a glob without wildcards is one run, its head).
    String normalized = normalize(glob);
    StringBuilder regex = new StringBuilder();
    List<String> runs = new ArrayList<>();
    StringBuilder run = new StringBuilder();
    for (int i = 0; i < normalized.length(); i++) {
      char c = normalized.charAt(i);
      if (c != '*' && c != '?') {
        run.append(c);
        continue;
      }
      endRun(run, runs, regex);
      if (c == '*' && i + 1 < normalized.length() && normalized.charAt(i + 1) == '*') {
        boolean slashAfter = i + 2 < normalized.length() && normalized.charAt(i + 2) == '/';
        regex.append(slashAfter ? "(?:.*/)?" : ".*"); // the slash of a **/ is the wildcard's
        i += slashAfter ? 2 : 1;
      } else {
        regex.append(c == '*' ? "[^/]*" : "[^/]");
      }
    }
    endRun(run, runs, regex);
    String head = runs.get(0);
    String tail = runs.size() == 1 ? "" : runs.get(runs.size() - 1);
    List<String> inner = runs.size() <= 2 ? List.of()
        : runs.subList(1, runs.size() - 1).stream().filter(r -> !r.isEmpty()).toList();
    return new PathGlob(glob, Pattern.compile(regex.toString(), Pattern.DOTALL), head, tail, inner);
  }

  private static void endRun(StringBuilder run, List<String> runs, StringBuilder regex) {
    runs.add(run.toString());
    if (!run.isEmpty()) {
      regex.append(Pattern.quote(run.toString()));
    }
    run.setLength(0);
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

  @Override
  public String toString() {
    return glob;
  }
}
