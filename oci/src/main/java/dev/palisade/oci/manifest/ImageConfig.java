package dev.palisade.oci.manifest;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The parts of an image config that matter for scanning and verification. Lists and maps are never
 * null; absent scalar fields are null.
 */
public record ImageConfig(
    String os,
    String architecture,
    String variant,
    String user,
    List<String> entrypoint,
    List<String> cmd,
    List<String> env,
    String workingDir,
    Map<String, String> labels,
    List<String> diffIds,
    List<History> history) {

  public ImageConfig {
    entrypoint = entrypoint == null ? List.of() : List.copyOf(entrypoint);
    cmd = cmd == null ? List.of() : List.copyOf(cmd);
    env = env == null ? List.of() : List.copyOf(env);
    labels = labels == null ? Map.of() : Collections.unmodifiableSortedMap(new TreeMap<>(labels));
    diffIds = diffIds == null ? List.of() : List.copyOf(diffIds);
    history = history == null ? List.of() : List.copyOf(history);
  }

  /** One build step; {@code emptyLayer} steps produced no layer. */
  public record History(String created, String createdBy, String comment, boolean emptyLayer) {}

  /** The platform the config declares, or null when it declares none. */
  public Platform platform() {
    if (os == null || architecture == null || os.isBlank() || architecture.isBlank()) {
      return null;
    }
    return new Platform(os, architecture, variant);
  }
}
