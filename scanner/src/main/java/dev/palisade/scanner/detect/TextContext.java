package dev.palisade.scanner.detect;

/**
 * A piece of the image config to scan as text.
 *
 * @param field where it comes from: {@code Entrypoint}, {@code Cmd}, {@code Env}, {@code Labels},
 *     {@code history[3].created_by}, ...; reported as the finding's location
 * @param text the value; for Entrypoint and Cmd the argv joined by single spaces
 */
public record TextContext(String field, String text) {
  public TextContext {
    if (field == null || text == null) {
      throw new IllegalArgumentException("field and text must not be null");
    }
  }
}
