package dev.palisade.gateway.routing;

/**
 * A model name to match: exact ({@code gpt-4o}), a prefix wildcard ({@code gpt-4*}) or the
 * catch-all ({@code *}). Exact beats prefix, a longer prefix beats a shorter one, catch-all is
 * last: {@link #specificity()} orders them.
 */
public record ModelPattern(String text) {

  public ModelPattern {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("a model pattern must not be empty");
    }
    int star = text.indexOf('*');
    if (star >= 0 && star != text.length() - 1) {
      throw new IllegalArgumentException(
          "'" + text + "': '*' is allowed only at the end (prefix wildcard) or alone (catch-all)");
    }
  }

  public boolean isExact() {
    return !text.endsWith("*");
  }

  public boolean matches(String model) {
    return isExact() ? text.equals(model) : model.startsWith(text.substring(0, text.length() - 1));
  }

  /** Higher wins: exact names, then longer prefixes, then the catch-all (0). */
  public int specificity() {
    return isExact() ? Integer.MAX_VALUE : text.length() - 1;
  }

  @Override
  public String toString() {
    return text;
  }
}
