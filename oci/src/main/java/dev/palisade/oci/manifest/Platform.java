package dev.palisade.oci.manifest;

/** An image platform, e.g. {@code linux/arm64/v8}. Variant may be null. */
public record Platform(String os, String architecture, String variant) {

  public Platform {
    if (os == null || os.isBlank() || architecture == null || architecture.isBlank()) {
      throw new IllegalArgumentException("a platform needs an os and an architecture");
    }
    if (variant != null && variant.isBlank()) {
      variant = null;
    }
  }

  /** Parses {@code os/arch[/variant]}. */
  public static Platform parse(String text) {
    String[] parts = text == null ? new String[0] : text.split("/", -1);
    if (parts.length < 2 || parts.length > 3) {
      throw new IllegalArgumentException("platform '" + text + "' is not os/arch[/variant]");
    }
    return new Platform(parts[0], parts[1], parts.length == 3 ? parts[2] : null);
  }

  /**
   * True if this (wanted) platform accepts {@code candidate}: os and architecture equal, and the
   * variant equal when this one names a variant.
   */
  public boolean accepts(Platform candidate) {
    return candidate != null
        && os.equals(candidate.os)
        && architecture.equals(candidate.architecture)
        && (variant == null || variant.equals(candidate.variant));
  }

  @Override
  public String toString() {
    return os + "/" + architecture + (variant == null ? "" : "/" + variant);
  }
}
