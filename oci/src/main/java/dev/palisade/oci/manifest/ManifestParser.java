package dev.palisade.oci.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.palisade.oci.digest.Digest;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Parses manifests, indexes and configs from their exact bytes, with errors that name the field. */
public final class ManifestParser {

  /** More layers than any real image has (overlayfs stops at 128); beyond it we refuse. */
  public static final int MAX_LAYERS = 1000;
  /** More entries than any real index has. */
  public static final int MAX_INDEX_ENTRIES = 1000;

  private ManifestParser() {}

  /**
   * Parses a manifest or index.
   *
   * @param declaredMediaType the Content-Type or descriptor media type, used only when the document
   *     itself carries none
   */
  public static Manifest parse(byte[] bytes, String declaredMediaType, String what)
      throws ManifestFormatException {
    JsonNode root = Json.parse(bytes, what);
    String mediaType = text(root, "mediaType");
    if (mediaType == null) {
      mediaType = inferMediaType(root, declaredMediaType);
    }
    if (mediaType.equals(MediaTypes.DOCKER_SCHEMA1) || mediaType.equals(MediaTypes.DOCKER_SCHEMA1_SIGNED)) {
      throw new ManifestFormatException(
          what, "Docker schema 1 manifests are deprecated and not supported");
    }
    JsonNode schemaVersion = root.get("schemaVersion");
    if (schemaVersion == null || !schemaVersion.isInt() || schemaVersion.intValue() != 2) {
      throw new ManifestFormatException(what, "schemaVersion must be 2");
    }
    if (MediaTypes.isIndex(mediaType)) {
      return parseIndex(root, mediaType, what);
    }
    if (MediaTypes.isImageManifest(mediaType)) {
      return parseImageManifest(root, mediaType, what);
    }
    throw new ManifestFormatException(what, "unknown manifest media type '" + mediaType + "'");
  }

  private static String inferMediaType(JsonNode root, String declared) {
    if (declared != null && !declared.isBlank() && !declared.startsWith("application/json")
        && !declared.startsWith("text/plain")) {
      return stripParameters(declared);
    }
    // OCI allows a missing mediaType; the document's shape then decides.
    if (root.has("manifests")) {
      return MediaTypes.OCI_INDEX;
    }
    if (root.has("config") && root.has("layers")) {
      return MediaTypes.OCI_MANIFEST;
    }
    return declared == null ? "(none)" : declared;
  }

  private static String stripParameters(String contentType) {
    int semicolon = contentType.indexOf(';');
    return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim();
  }

  private static ImageManifest parseImageManifest(JsonNode root, String mediaType, String what)
      throws ManifestFormatException {
    Descriptor config = descriptor(root.get("config"), what, "config");
    JsonNode layersNode = root.get("layers");
    if (layersNode == null || !layersNode.isArray()) {
      throw new ManifestFormatException(what, "field 'layers' must be an array");
    }
    if (layersNode.size() > MAX_LAYERS) {
      throw new ManifestFormatException(
          what, layersNode.size() + " layers exceeds the limit of " + MAX_LAYERS);
    }
    List<Descriptor> layers = new ArrayList<>();
    for (int i = 0; i < layersNode.size(); i++) {
      layers.add(descriptor(layersNode.get(i), what, "layers[" + i + "]"));
    }
    return new ImageManifest(
        mediaType,
        config,
        layers,
        optionalDescriptor(root, "subject", what),
        text(root, "artifactType"),
        stringMap(root.get("annotations"), what, "annotations"));
  }

  private static ImageIndex parseIndex(JsonNode root, String mediaType, String what)
      throws ManifestFormatException {
    JsonNode entries = root.get("manifests");
    if (entries == null || !entries.isArray()) {
      throw new ManifestFormatException(what, "field 'manifests' must be an array");
    }
    if (entries.size() > MAX_INDEX_ENTRIES) {
      throw new ManifestFormatException(
          what, entries.size() + " entries exceeds the limit of " + MAX_INDEX_ENTRIES);
    }
    List<Descriptor> manifests = new ArrayList<>();
    for (int i = 0; i < entries.size(); i++) {
      manifests.add(descriptor(entries.get(i), what, "manifests[" + i + "]"));
    }
    return new ImageIndex(
        mediaType,
        manifests,
        optionalDescriptor(root, "subject", what),
        text(root, "artifactType"),
        stringMap(root.get("annotations"), what, "annotations"));
  }

  /** Parses an image config blob. */
  public static ImageConfig parseConfig(byte[] bytes, String what) throws ManifestFormatException {
    JsonNode root = Json.parse(bytes, what);
    JsonNode config = root.path("config");
    JsonNode rootfs = root.path("rootfs");
    List<ImageConfig.History> history = new ArrayList<>();
    JsonNode historyNode = root.get("history");
    if (historyNode != null && historyNode.isArray()) {
      for (JsonNode step : historyNode) {
        history.add(
            new ImageConfig.History(
                text(step, "created"),
                text(step, "created_by"),
                text(step, "comment"),
                step.path("empty_layer").asBoolean(false)));
      }
    }
    return new ImageConfig(
        text(root, "os"),
        text(root, "architecture"),
        text(root, "variant"),
        text(config, "User"),
        stringList(config.get("Entrypoint"), what, "config.Entrypoint"),
        stringList(config.get("Cmd"), what, "config.Cmd"),
        stringList(config.get("Env"), what, "config.Env"),
        text(config, "WorkingDir"),
        stringMap(config.get("Labels"), what, "config.Labels"),
        stringList(rootfs.get("diff_ids"), what, "rootfs.diff_ids"),
        history);
  }

  /** Parses one descriptor object; {@code field} names it in errors. */
  public static Descriptor descriptor(JsonNode node, String what, String field)
      throws ManifestFormatException {
    if (node == null || !node.isObject()) {
      throw new ManifestFormatException(what, "field '" + field + "' must be a descriptor object");
    }
    String mediaType = text(node, "mediaType");
    if (mediaType == null || mediaType.isBlank()) {
      throw new ManifestFormatException(what, "field '" + field + ".mediaType' is missing");
    }
    Digest digest;
    try {
      digest = Digest.parse(text(node, "digest"));
    } catch (IllegalArgumentException e) {
      throw new ManifestFormatException(what, "field '" + field + ".digest': " + e.getMessage());
    }
    JsonNode size = node.get("size");
    if (size == null || !size.canConvertToLong() || !size.isIntegralNumber() || size.longValue() < 0) {
      throw new ManifestFormatException(
          what, "field '" + field + ".size' must be a non-negative integer");
    }
    Platform platform = null;
    JsonNode platformNode = node.get("platform");
    if (platformNode != null && platformNode.isObject()) {
      try {
        platform =
            new Platform(
                text(platformNode, "os"), text(platformNode, "architecture"), text(platformNode, "variant"));
      } catch (IllegalArgumentException e) {
        throw new ManifestFormatException(what, "field '" + field + ".platform': " + e.getMessage());
      }
    }
    return new Descriptor(
        mediaType,
        digest,
        size.longValue(),
        platform,
        stringMap(node.get("annotations"), what, field + ".annotations"),
        text(node, "artifactType"),
        stringList(node.get("urls"), what, field + ".urls"));
  }

  private static Descriptor optionalDescriptor(JsonNode root, String field, String what)
      throws ManifestFormatException {
    JsonNode node = root.get(field);
    return node == null || node.isNull() ? null : descriptor(node, what, field);
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value != null && value.isTextual() ? value.textValue() : null;
  }

  private static List<String> stringList(JsonNode node, String what, String field)
      throws ManifestFormatException {
    if (node == null || node.isNull()) {
      return List.of();
    }
    if (!node.isArray()) {
      throw new ManifestFormatException(what, "field '" + field + "' must be an array of strings");
    }
    List<String> values = new ArrayList<>();
    for (JsonNode item : node) {
      if (!item.isTextual()) {
        throw new ManifestFormatException(what, "field '" + field + "' must hold only strings");
      }
      values.add(item.textValue());
    }
    return values;
  }

  private static Map<String, String> stringMap(JsonNode node, String what, String field)
      throws ManifestFormatException {
    if (node == null || node.isNull()) {
      return Map.of();
    }
    if (!node.isObject()) {
      throw new ManifestFormatException(what, "field '" + field + "' must be an object of strings");
    }
    Map<String, String> values = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = it.next();
      if (!entry.getValue().isTextual()) {
        throw new ManifestFormatException(
            what, "field '" + field + "." + entry.getKey() + "' must be a string");
      }
      values.put(entry.getKey(), entry.getValue().textValue());
    }
    return values;
  }
}
