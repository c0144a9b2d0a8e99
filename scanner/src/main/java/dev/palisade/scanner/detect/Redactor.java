package dev.palisade.scanner.detect;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Removes secrets from evidence before it reaches a report: passwords in URLs ({@code user:pass@}),
 * miner pool passwords ({@code -p x}, {@code --pass=x}), {@code password=}/{@code token=} style
 * assignments, bearer/basic credentials and secret query parameters. Evidence is short, so plain
 * regexes are fine here.
 */
public final class Redactor {

  public static final String MASK = "***";

  private record Rewrite(Pattern pattern, String replacement) {}

  private static final List<Rewrite> REWRITES = List.of(
      new Rewrite(Pattern.compile("(://[^:/@\\s\"']+:)[^@\\s/\"']+@"), "$1" + MASK + "@"),
      new Rewrite(Pattern.compile("(?i)(\\b(?:password|passwd|pass|pwd|secret|token|api[_-]?key|access[_-]?key|auth)[\"']?\\s*[=:]\\s*[\"']?)[^\\s\"'&,;]+"), "$1" + MASK),
      new Rewrite(Pattern.compile("(?i)(\\b(?:bearer|basic)\\s+)[A-Za-z0-9._~+/=-]{6,}"), "$1" + MASK),
      new Rewrite(Pattern.compile("(?i)([?&](?:key|token|sig|signature|access_token|api_key)=)[^&\\s\"']+"), "$1" + MASK),
      // Secrets found by the secret.* rules: keep the kind (prefix), never the value.
      new Rewrite(Pattern.compile("\\b(AKIA|ASIA)[A-Z2-7]{16}\\b"), "$1" + MASK),
      new Rewrite(Pattern.compile("(?i)(aws_secret_access_key|secretaccesskey)([\"']?\\s*[:=]\\s*[\"']?)[A-Za-z0-9/+]{4,}"), "$1$2" + MASK),
      new Rewrite(Pattern.compile("\\b(gh[pousr]_|github_pat_|glpat-|dckr_pat_|npm_|pypi-)[A-Za-z0-9_-]{8,}"), "$1" + MASK),
      new Rewrite(Pattern.compile("(_authToken\\s*=\\s*)[^\\s\"']+"), "$1" + MASK),
      new Rewrite(Pattern.compile("(PRIVATE KEY(?: BLOCK)?-----)(?:\\\\n|[\\s.])*[A-Za-z0-9+/=:-]+"), "$1" + MASK));

  /** Pool passwords ({@code -p x}); only where the text looks like miner arguments, so {@code mkdir -p dir} stays readable. */
  private static final Pattern MINER_ARGS = Pattern.compile("(?:^|\\s)(?:-o|--url|-u|--user)[ =]|stratum");
  private static final Pattern POOL_PASSWORD =
      Pattern.compile("((?:^|[\\s\"'])(?:-p|--pass|--password|--userpass)(?:[ =]+))(?:\"[^\"]*\"|'[^']*'|[^\\s\"']+)");

  private Redactor() {}

  public static String redact(String evidence) {
    String out = evidence;
    if (MINER_ARGS.matcher(out).find()) {
      out = POOL_PASSWORD.matcher(out).replaceAll("$1" + MASK);
    }
    for (Rewrite r : REWRITES) {
      Matcher m = r.pattern.matcher(out);
      out = m.replaceAll(r.replacement);
    }
    return out;
  }

  /** Printable, single-line, at most {@code max} characters (an ellipsis marks a cut). */
  public static String printable(byte[] bytes, int max) {
    StringBuilder sb = new StringBuilder();
    for (byte b : bytes) {
      int c = b & 0xff;
      sb.append(c >= 0x20 && c < 0x7f ? (char) c : c == 0 ? '.' : '.');
      if (sb.length() >= max) {
        sb.append('…');
        break;
      }
    }
    return sb.toString();
  }
}
