package dev.palisade.scanner.api;

/**
 * Progress of a scan, for a CLI's progress display. The scanner never prints.
 *
 * @param layerIndex the layer concerned, -1 for image-level events
 * @param bytes compressed bytes read so far in that layer (for {@code LAYER_PROGRESS}) or its size
 */
public record ScanEvent(Kind kind, String platform, int layerIndex, int layerCount, long bytes, long totalBytes, String message) {

  public enum Kind {
    IMAGE_RESOLVED,
    LAYER_STARTED,
    LAYER_PROGRESS,
    LAYER_FINISHED
  }
}
