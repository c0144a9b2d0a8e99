package dev.palisade.signing.oci;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.palisade.oci.digest.Digest;
import dev.palisade.oci.manifest.Descriptor;
import dev.palisade.oci.manifest.ImageManifest;
import dev.palisade.oci.manifest.ManifestDocument;
import dev.palisade.oci.manifest.MediaTypes;
import dev.palisade.signing.bundle.BundleJson;
import dev.palisade.signing.bundle.SigstoreBundle;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The OCI objects cosign v3 uses to attach a bundle to an image (see signing/README.md): the
 * bundle as the only layer of an artifact manifest whose {@code subject} is the image.
 */
public final class BundleReferrers {

  public static final String ARTIFACT_TYPE = SigstoreBundle.MEDIA_TYPE_V03;
  public static final byte[] EMPTY_CONFIG = "{}".getBytes(StandardCharsets.US_ASCII);
  public static final Digest EMPTY_CONFIG_DIGEST = Digest.sha256(EMPTY_CONFIG);
  public static final String CONTENT_ANNOTATION = "dev.sigstore.bundle.content";
  public static final String PREDICATE_ANNOTATION = "dev.sigstore.bundle.predicateType";
  public static final String CREATED_ANNOTATION = "org.opencontainers.image.created";

  private BundleReferrers() {}

  /** A referrer manifest, ready to push: its exact bytes and the annotations to repeat in indexes. */
  public record ReferrerManifest(byte[] bytes, Digest digest, Map<String, String> annotations) {
    public ReferrerManifest {
      bytes = bytes.clone();
      annotations = Map.copyOf(annotations);
    }

    @Override
    public byte[] bytes() {
      return bytes.clone();
    }

    /** The descriptor an index (referrers response, fallback tag, layout index.json) lists. */
    public ObjectNode indexEntry() {
      ObjectNode entry = BundleJson.MAPPER.createObjectNode();
      entry.put("mediaType", MediaTypes.OCI_MANIFEST);
      entry.put("digest", digest.toString());
      entry.put("size", bytes.length);
      entry.put("artifactType", ARTIFACT_TYPE);
      ObjectNode notes = entry.putObject("annotations");
      new java.util.TreeMap<>(annotations).forEach(notes::put);
      return entry;
    }
  }

  public static ReferrerManifest manifest(Descriptor subject, byte[] bundleJson, String contentKind, String predicateType,
      Instant created) {
    Map<String, String> annotations = new LinkedHashMap<>();
    annotations.put(CONTENT_ANNOTATION, contentKind);
    if (predicateType != null) {
      annotations.put(PREDICATE_ANNOTATION, predicateType);
    }
    annotations.put(CREATED_ANNOTATION, DateTimeFormatter.ISO_INSTANT.format(created));
    ObjectNode root = BundleJson.MAPPER.createObjectNode();
    root.put("schemaVersion", 2);
    root.put("mediaType", MediaTypes.OCI_MANIFEST);
    root.put("artifactType", ARTIFACT_TYPE);
    ObjectNode config = root.putObject("config");
    config.put("mediaType", MediaTypes.OCI_EMPTY);
    config.put("digest", EMPTY_CONFIG_DIGEST.toString());
    config.put("size", EMPTY_CONFIG.length);
    ObjectNode layer = root.putArray("layers").addObject();
    layer.put("mediaType", ARTIFACT_TYPE);
    layer.put("digest", Digest.sha256(bundleJson).toString());
    layer.put("size", bundleJson.length);
    ObjectNode subjectNode = root.putObject("subject");
    subjectNode.put("mediaType", subject.mediaType());
    subjectNode.put("digest", subject.digest().toString());
    subjectNode.put("size", subject.size());
    ObjectNode notes = root.putObject("annotations");
    annotations.forEach(notes::put);
    try {
      byte[] bytes = BundleJson.MAPPER.writeValueAsBytes(root);
      return new ReferrerManifest(bytes, Digest.sha256(bytes), annotations);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("serialising a referrer manifest failed", e);
    }
  }

  /**
   * The bundle layer of a referrer manifest, after checking it is one of ours and refers to {@code
   * subject}; null (with the reason in {@code why}) when it is something else.
   */
  public static Descriptor bundleLayer(ManifestDocument document, Digest subject, StringBuilder why) {
    if (!(document.manifest() instanceof ImageManifest manifest)) {
      why.append("referrer ").append(document.digest()).append(" is not an image manifest");
      return null;
    }
    if (!ARTIFACT_TYPE.equals(manifest.artifactType())) {
      why.append("referrer ").append(document.digest()).append(" has artifactType ").append(manifest.artifactType());
      return null;
    }
    if (manifest.subject() == null || !subject.equals(manifest.subject().digest())) {
      why.append("referrer ").append(document.digest()).append(" does not name ").append(subject).append(" as its subject");
      return null;
    }
    if (manifest.layers().size() != 1 || !ARTIFACT_TYPE.equals(manifest.layers().get(0).mediaType())) {
      why.append("referrer ").append(document.digest()).append(" does not hold exactly one bundle layer");
      return null;
    }
    return manifest.layers().get(0);
  }

  /** The predicate type of a DSSE in-toto bundle, for the annotation; null when not DSSE or unreadable. */
  public static String predicateTypeOf(SigstoreBundle bundle) {
    if (bundle.dsse() == null) {
      return null;
    }
    try {
      JsonNode statement = BundleJson.readTree(bundle.dsse().payload());
      JsonNode type = statement.get("predicateType");
      return type != null && type.isTextual() ? type.textValue() : null;
    } catch (java.io.IOException e) {
      return null;
    }
  }
}
