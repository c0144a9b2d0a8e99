package dev.palisade.release.verify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.palisade.oci.digest.Digest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Compares two builds of an image, each an OCI layout, and says where they differ: the manifest,
 * the config (which JSON path, or only the key order), or which layer and which file in it (which
 * header field, or the content). Used by {@code verify-reproducible} and by the reproducibility
 * tests; it reads blobs only, so it works on any two layouts.
 */
public final class LayoutComparison {

  /** Differences listed per part before the rest are counted. */
  static final int LIMIT_PER_PART = 20;

  private static final ObjectMapper JSON = new ObjectMapper();

  /** The outcome; {@code differences} is empty exactly when the two manifests are the same bytes. */
  public record Result(Digest first, Digest second, List<ImageDifference> differences) {
    public Result {
      Objects.requireNonNull(first, "first");
      Objects.requireNonNull(second, "second");
      differences = List.copyOf(differences);
      if (first.equals(second) != differences.isEmpty()) {
        throw new IllegalArgumentException("identical digests exactly when there is no difference");
      }
    }

    public boolean identical() {
      return differences.isEmpty();
    }

    /** Human-readable, one difference a line. */
    public String describe() {
      if (identical()) {
        return "identical: " + first;
      }
      StringBuilder out = new StringBuilder(first + " != " + second);
      differences.forEach(d -> out.append("\n  ").append(d));
      return out.toString();
    }
  }

  private LayoutComparison() {}

  /** Compares the (only or first) image of each layout. */
  public static Result compare(Path first, Path second) throws IOException {
    Layout a = Layout.open(first);
    Layout b = Layout.open(second);
    List<ImageDifference> out = new ArrayList<>();
    if (!a.manifestDigest.equals(b.manifestDigest)) {
      compareImages(a, b, out);
      if (out.isEmpty()) {
        out.add(new ImageDifference("manifest", "", "the bytes differ but no field does"));
      }
    }
    return new Result(a.manifestDigest, b.manifestDigest, out);
  }

  private static void compareImages(Layout a, Layout b, List<ImageDifference> out) throws IOException {
    List<ImageDifference> manifest = new ArrayList<>();
    JsonNode ma = a.manifest.deepCopy();
    JsonNode mb = b.manifest.deepCopy();
    // Config and layer digests are reported below with the reason they differ.
    ((com.fasterxml.jackson.databind.node.ObjectNode) ma).remove(List.of("config", "layers"));
    ((com.fasterxml.jackson.databind.node.ObjectNode) mb).remove(List.of("config", "layers"));
    JsonDiff.diff("manifest", "$", ma, mb, manifest);
    if (a.manifest.path("layers").size() != b.manifest.path("layers").size()) {
      manifest.add(new ImageDifference("manifest", "$.layers", a.manifest.path("layers").size() + " layers != "
          + b.manifest.path("layers").size()));
    }
    out.addAll(limited(manifest));

    Digest ca = Digest.parse(a.manifest.path("config").path("digest").asText());
    Digest cb = Digest.parse(b.manifest.path("config").path("digest").asText());
    JsonNode configA = JSON.readTree(a.blob(ca));
    JsonNode configB = JSON.readTree(b.blob(cb));
    if (!ca.equals(cb)) {
      List<ImageDifference> config = new ArrayList<>();
      JsonDiff.diff("config", "$", configA, configB, config);
      if (config.isEmpty()) {
        config.add(new ImageDifference("config", "", "same content, different bytes (" + ca + " != " + cb + ")"));
      }
      out.addAll(limited(config));
    }

    JsonNode layersA = a.manifest.path("layers");
    JsonNode layersB = b.manifest.path("layers");
    for (int i = 0; i < Math.min(layersA.size(), layersB.size()); i++) {
      Digest la = Digest.parse(layersA.get(i).path("digest").asText());
      Digest lb = Digest.parse(layersB.get(i).path("digest").asText());
      if (la.equals(lb)) {
        continue;
      }
      String part = "layer " + (i + 1) + " (" + la + " != " + lb + ")";
      String diffA = configA.path("rootfs").path("diff_ids").path(i).asText("");
      String diffB = configB.path("rootfs").path("diff_ids").path(i).asText("");
      if (!diffA.isEmpty() && diffA.equals(diffB)) {
        out.add(new ImageDifference(part, "", "same uncompressed tar (" + diffA + "), different compression"));
        continue;
      }
      out.addAll(limited(compareLayer(part, LayerReader.read(a.blobPath(la), layersA.get(i).path("mediaType").asText()),
          LayerReader.read(b.blobPath(lb), layersB.get(i).path("mediaType").asText()))));
    }
  }

  /** File-level differences of two layers, given their entries in archive order. */
  public static List<ImageDifference> compareLayer(String part, List<LayerEntry> first, List<LayerEntry> second) {
    Map<String, LayerEntry> a = byPath(first);
    Map<String, LayerEntry> b = byPath(second);
    List<ImageDifference> out = new ArrayList<>();
    for (LayerEntry e : a.values()) {
      LayerEntry other = b.get(e.path());
      if (other == null) {
        out.add(new ImageDifference(part, e.path(), "only in the first build"));
      } else if (!e.equals(other)) {
        out.add(new ImageDifference(part, e.path(), e.differencesTo(other)));
      }
    }
    for (LayerEntry e : b.values()) {
      if (!a.containsKey(e.path())) {
        out.add(new ImageDifference(part, e.path(), "only in the second build"));
      }
    }
    if (out.isEmpty()) {
      List<String> orderA = new ArrayList<>(a.keySet());
      List<String> orderB = new ArrayList<>(b.keySet());
      for (int i = 0; i < orderA.size(); i++) {
        if (!orderA.get(i).equals(orderB.get(i))) {
          out.add(new ImageDifference(part, orderA.get(i), "entry order differs: entry " + (i + 1) + " is "
              + orderA.get(i) + " in the first build and " + orderB.get(i) + " in the second"));
          break;
        }
      }
      if (out.isEmpty() && first.size() != second.size()) {
        out.add(new ImageDifference(part, "", "duplicate entries: " + first.size() + " != " + second.size()));
      }
      if (out.isEmpty()) {
        out.add(new ImageDifference(part, "", "same entries, different tar bytes (padding or end blocks)"));
      }
    }
    return out;
  }

  private static Map<String, LayerEntry> byPath(List<LayerEntry> entries) {
    Map<String, LayerEntry> map = new LinkedHashMap<>();
    entries.forEach(e -> map.put(e.path(), e));
    return map;
  }

  private static List<ImageDifference> limited(List<ImageDifference> all) {
    if (all.size() <= LIMIT_PER_PART) {
      return all;
    }
    List<ImageDifference> shown = new ArrayList<>(all.subList(0, LIMIT_PER_PART));
    shown.add(new ImageDifference(all.get(0).part(), "", "... and " + (all.size() - LIMIT_PER_PART)
        + " more differences"));
    return shown;
  }

  /** An OCI layout directory's first image. */
  private record Layout(Path dir, Digest manifestDigest, JsonNode manifest) {
    static Layout open(Path dir) throws IOException {
      JsonNode index = JSON.readTree(dir.resolve("index.json").toFile());
      JsonNode first = index.path("manifests").path(0);
      if (first.isMissingNode()) {
        throw new IOException(dir + ": index.json lists no image");
      }
      Digest digest = Digest.parse(first.path("digest").asText());
      Layout layout = new Layout(dir, digest, null);
      return new Layout(dir, digest, JSON.readTree(layout.blob(digest)));
    }

    Path blobPath(Digest d) {
      return dir.resolve("blobs").resolve(d.algorithm()).resolve(d.hex());
    }

    byte[] blob(Digest d) throws IOException {
      byte[] bytes = Files.readAllBytes(blobPath(d));
      if (!Digest.sha256(bytes).equals(d)) {
        throw new IOException(dir + ": blob " + d + " does not match its digest");
      }
      return bytes;
    }
  }

  /** Structural JSON differences, and key-order differences (which change the bytes, so the digest). */
  static final class JsonDiff {
    private JsonDiff() {}

    static void diff(String part, String path, JsonNode a, JsonNode b, List<ImageDifference> out) {
      if (a.isObject() && b.isObject()) {
        List<String> keysA = names(a);
        List<String> keysB = names(b);
        for (String k : keysA) {
          if (!b.has(k)) {
            out.add(new ImageDifference(part, path + "." + k, "only in the first build: " + a.get(k)));
          } else {
            diff(part, path + "." + k, a.get(k), b.get(k), out);
          }
        }
        for (String k : keysB) {
          if (!a.has(k)) {
            out.add(new ImageDifference(part, path + "." + k, "only in the second build: " + b.get(k)));
          }
        }
        List<String> common = keysA.stream().filter(b::has).toList();
        List<String> commonB = keysB.stream().filter(a::has).toList();
        if (!common.equals(commonB)) {
          out.add(new ImageDifference(part, path, "key order differs: " + common + " != " + commonB));
        }
      } else if (a.isArray() && b.isArray() && a.size() == b.size()) {
        for (int i = 0; i < a.size(); i++) {
          diff(part, path + "[" + i + "]", a.get(i), b.get(i), out);
        }
      } else if (!a.equals(b)) {
        out.add(new ImageDifference(part, path, a + " != " + b));
      }
    }

    private static List<String> names(JsonNode node) {
      List<String> names = new ArrayList<>();
      for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
        names.add(it.next());
      }
      return names;
    }
  }
}
