package dev.palisade.scanner.api;

/**
 * Something that was not read, and why. Every limit that stops reading, and every parse error,
 * produces one.
 *
 * @param reason a short machine-friendly reason, e.g. {@code file-too-large}, {@code corrupt-layer}
 * @param location the layer digest and/or path it concerns
 * @param detail one human sentence
 */
public record Incomplete(String reason, String location, String detail) {
  public Incomplete {
    if (reason == null || reason.isBlank() || location == null || detail == null) {
      throw new IllegalArgumentException("reason, location and detail are required");
    }
  }
}
