package dev.palisade.scanner.api;

import dev.palisade.scanner.detect.Severity;
import java.util.List;

/**
 * One rule match, placed in the image.
 *
 * @param source {@code layer} for file content, {@code config} for the image config, {@code
 *     archive} for the layer's tar structure itself
 * @param layerDigest the layer blob's digest, null for config findings
 * @param layerIndex zero-based index of the layer in the manifest, -1 for config findings
 * @param path path in the image (no leading slash), {@code a.jar!/b/c} inside nested archives, or
 *     the config field for config findings
 * @param addedIn layer index where the path's current life began, -1 when not applicable
 * @param modifiedIn later layer indexes that rewrote the path
 * @param deletedIn layer index that deleted the path (a whiteout), -1 when it is still present
 * @param offset byte offset in the file, -1 when not meaningful
 */
public record Finding(
    String ruleId,
    Severity severity,
    String title,
    String source,
    String layerDigest,
    int layerIndex,
    String path,
    int addedIn,
    List<Integer> modifiedIn,
    int deletedIn,
    long offset,
    String evidence) {

  public Finding {
    if (ruleId == null || severity == null || title == null || source == null || path == null) {
      throw new IllegalArgumentException("ruleId, severity, title, source and path are required");
    }
    modifiedIn = modifiedIn == null ? List.of() : List.copyOf(modifiedIn);
    evidence = evidence == null ? "" : evidence;
  }

  /** The same finding with its place in the layer history filled in. */
  public Finding withHistory(int newAddedIn, List<Integer> newModifiedIn, int newDeletedIn) {
    return new Finding(ruleId, severity, title, source, layerDigest, layerIndex, path, newAddedIn,
        newModifiedIn, newDeletedIn, offset, evidence);
  }
}
