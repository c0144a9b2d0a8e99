package dev.palisade.release.base;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.palisade.oci.digest.Digest;
import dev.palisade.release.OrderedJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Writes an OCI image layout directory (oci-layout, index.json, blobs/sha256/...). */
public final class OciLayoutWriter {

  static final ObjectMapper JSON = new ObjectMapper();

  private final Path dir;

  public OciLayoutWriter(Path dir) throws IOException {
    this.dir = dir;
    Files.createDirectories(dir.resolve("blobs/sha256"));
    Files.writeString(dir.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
  }

  public Blob addBytes(String mediaType, byte[] content) throws IOException {
    Digest digest = Digest.sha256(content);
    Path target = blobPath(digest);
    if (!Files.exists(target)) {
      Files.write(target, content);
    }
    return new Blob(mediaType, digest, content.length);
  }

  /** Moves an already-digested file into the blob store. */
  public Blob addFile(String mediaType, Path file, Digest digest) throws IOException {
    long size = Files.size(file);
    Files.move(file, blobPath(digest), StandardCopyOption.REPLACE_EXISTING);
    return new Blob(mediaType, digest, size);
  }

  public Path blobPath(Digest digest) {
    return dir.resolve("blobs").resolve(digest.algorithm()).resolve(digest.hex());
  }

  /** Writes the manifest and an index.json naming it; returns the manifest blob. */
  public Blob finish(Blob config, List<Blob> layers, Map<String, String> manifestAnnotations, String refName)
      throws IOException {
    Map<String, Object> manifest = new LinkedHashMap<>();
    manifest.put("schemaVersion", 2);
    manifest.put("mediaType", "application/vnd.oci.image.manifest.v1+json");
    manifest.put("config", descriptor(config));
    manifest.put("layers", layers.stream().map(OciLayoutWriter::descriptor).toList());
    if (!manifestAnnotations.isEmpty()) {
      manifest.put("annotations", new LinkedHashMap<>(manifestAnnotations));
    }
    Blob manifestBlob = addBytes("application/vnd.oci.image.manifest.v1+json", OrderedJson.bytes(manifest));
    Map<String, Object> entry = descriptor(manifestBlob);
    entry.put("annotations", OrderedJson.map("org.opencontainers.image.ref.name", refName));
    Map<String, Object> index = new LinkedHashMap<>();
    index.put("schemaVersion", 2);
    index.put("mediaType", "application/vnd.oci.image.index.v1+json");
    index.put("manifests", List.of(entry));
    Files.write(dir.resolve("index.json"), OrderedJson.bytes(index));
    return manifestBlob;
  }

  static Map<String, Object> descriptor(Blob blob) {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("mediaType", blob.mediaType());
    d.put("digest", blob.digest().toString());
    d.put("size", blob.size());
    return d;
  }
}
