package dev.palisade.gateway.secrets;

import java.util.Collection;
import java.util.List;

/**
 * Replaces every known provider key in text that leaves the gateway (upstream error bodies passed
 * to clients, log lines). Providers echo keys back ("Incorrect API key provided: sk-...") and
 * some put them in URLs, so passing their text through unfiltered would leak them.
 */
public final class Redactor {

  public static final String MASK = "[REDACTED]";
  private final List<String> secrets;

  public Redactor(Collection<Secret> secrets) {
    this.secrets = secrets.stream().map(Secret::reveal).distinct().toList();
  }

  public String redact(String text) {
    if (text == null) {
      return null;
    }
    String out = text;
    for (String s : secrets) {
      if (out.contains(s)) {
        out = out.replace(s, MASK);
      }
    }
    return out;
  }
}
