package dev.palisade.release.image;

import java.nio.file.Path;
import java.util.Objects;

/** One resolved runtime dependency of the application: its Maven coordinates and its jar. */
public record ClasspathEntry(String groupId, String artifactId, String version, String classifier, String scope,
    Path jar) {

  public ClasspathEntry {
    Objects.requireNonNull(groupId, "groupId");
    Objects.requireNonNull(artifactId, "artifactId");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(jar, "jar");
    classifier = classifier == null || classifier.isEmpty() ? null : classifier;
  }

  /** {@code pkg:maven/GROUP/ARTIFACT@VERSION[?classifier=C]}. */
  public String purl() {
    return "pkg:maven/" + groupId + "/" + artifactId + "@" + version
        + (classifier == null ? "" : "?classifier=" + classifier) ;
  }

  public String coordinates() {
    return groupId + ":" + artifactId + ":" + version + (classifier == null ? "" : ":" + classifier);
  }
}
