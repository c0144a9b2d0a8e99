package dev.palisade.scanner.rules;

import java.util.regex.Pattern;

/**
 * A path glob over image paths (no leading slash): {@code **} any number of path segments,
 * {@code *} any characters within a segment, {@code ?} one character. Paths inside nested archives
 * look like {@code app.jar!/BOOT-INF/x}; {@code **} crosses the {@code !/} too. Only evaluated once
 * per file, so a compiled regex is fine here.
 */
public record PathGlob(String glob, Pattern pattern) {

  public PathGlob {
    if (glob == null || glob.isBlank()) {
      throw new IllegalArgumentException("empty glob");
    }
  }

  public static PathGlob of(String glob) {
    return new PathGlob(glob, Pattern.compile(toRegex(normalize(glob)), Pattern.DOTALL));
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
    return pattern.matcher(normalize(path)).matches();
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
