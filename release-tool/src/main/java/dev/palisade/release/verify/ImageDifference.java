package dev.palisade.release.verify;

import java.util.Objects;

/**
 * One way two builds of an image differ.
 *
 * @param part {@code manifest}, {@code config} or {@code layer N (sha256:...)}
 * @param where a JSON path in the manifest or config, or a file path inside the layer ("" for the
 *     part as a whole)
 * @param detail what differs, with both values
 */
public record ImageDifference(String part, String where, String detail) {
  public ImageDifference {
    Objects.requireNonNull(part, "part");
    Objects.requireNonNull(where, "where");
    Objects.requireNonNull(detail, "detail");
  }

  @Override
  public String toString() {
    return part + (where.isEmpty() ? "" : " " + where) + ": " + detail;
  }
}
