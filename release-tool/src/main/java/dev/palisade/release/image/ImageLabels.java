package dev.palisade.release.image;

import dev.palisade.release.base.BaseConfig;
import dev.palisade.release.git.GitFacts;
import java.util.Map;
import java.util.TreeMap;

/**
 * The OCI annotation keys set as image labels. Every value comes from the commit or the pinned
 * base, none from the build machine or clock, so they do not break reproducibility.
 */
public final class ImageLabels {

  private ImageLabels() {}

  public static Map<String, String> of(GitFacts git, BaseConfig base, String sourceUrl, String title) {
    Map<String, String> labels = new TreeMap<>();
    labels.put("org.opencontainers.image.source", sourceUrl);
    labels.put("org.opencontainers.image.revision", git.commit());
    labels.put("org.opencontainers.image.version", git.version());
    labels.put("org.opencontainers.image.created", git.commitTime().toString());
    labels.put("org.opencontainers.image.base.name", base.name());
    labels.put("org.opencontainers.image.base.digest", base.digest().toString());
    labels.put("org.opencontainers.image.title", title);
    return labels;
  }
}
