package dev.palisade.oci.registry;

/**
 * Something the registry client did that a CLI may want to show: the library itself never prints.
 * Messages are already redacted.
 */
public record RegistryEvent(Kind kind, String message) {

  public enum Kind {
    AUTHENTICATED,
    RETRY,
    REDIRECT,
    REFERRERS_FALLBACK,
    BLOB_EXISTS,
    BLOB_UPLOADED,
    MANIFEST_PUSHED
  }

  public RegistryEvent {
    if (kind == null || message == null) {
      throw new IllegalArgumentException("kind and message are required");
    }
  }
}
