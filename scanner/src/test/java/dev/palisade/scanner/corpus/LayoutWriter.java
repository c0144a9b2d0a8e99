package dev.palisade.scanner.corpus;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.luben.zstd.Zstd;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/**
 * Writes corpus images as OCI layouts: single images (layers, Entrypoint, Cmd, Env, history,
 * platform) and multi-platform indexes over several of them. Layers come either as tar bytes
 * built in the test or as blob files made by GNU tar from real directories (the clean images).
 */
final class LayoutWriter {

  enum Compression { GZIP, ZSTD }

  /** One platform's image. */
  static final class Image {
    final List<Path> blobFiles = new ArrayList<>();
    final List<byte[]> blobs = new ArrayList<>();
    final List<String> mediaTypes = new ArrayList<>();
    final List<String> diffIds = new ArrayList<>();
    final List<String> entrypoint = new ArrayList<>();
    final List<String> cmd = new ArrayList<>();
    final List<String> env = new ArrayList<>();
    final List<String> history = new ArrayList<>();
    String architecture = "amd64";

    Image layer(byte[] tar, Compression compression) {
      blobs.add(compression == Compression.ZSTD ? Zstd.compress(tar) : gzip(tar));
      blobFiles.add(null);
      diffIds.add("sha256:" + HexFormat.of().formatHex(sha256().digest(tar)));
      mediaTypes.add(mediaType(compression));
      return this;
    }

    /** A layer blob already on disk (compressed by the tools that made it). */
    Image layerFile(Path blob, Compression compression) {
      blobs.add(null);
      blobFiles.add(blob);
      diffIds.add(uncompressedDigest(blob, compression));
      mediaTypes.add(mediaType(compression));
      return this;
    }

    Image entrypoint(String... argv) {
      entrypoint.addAll(List.of(argv));
      return this;
    }

    Image cmd(String... argv) {
      cmd.addAll(List.of(argv));
      return this;
    }

    Image env(String... values) {
      env.addAll(List.of(values));
      return this;
    }

    Image history(String createdBy) {
      history.add(createdBy);
      return this;
    }

    Image architecture(String arch) {
      architecture = arch;
      return this;
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  private LayoutWriter() {}

  static String mediaType(Compression c) {
    return c == Compression.ZSTD ? "application/vnd.oci.image.layer.v1.tar+zstd" : "application/vnd.oci.image.layer.v1.tar+gzip";
  }

  static byte[] gzip(byte[] data) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
        gz.write(data);
      }
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes one image tagged {@code tag}; the layout is created if needed. */
  static void write(Path layout, String tag, Image image) throws IOException {
    ObjectNode descriptor = manifest(layout, image);
    index(layout, tag, descriptor, false);
  }

  /** Writes a multi-platform OCI index over {@code images}, tagged {@code tag}. */
  static void writeIndex(Path layout, String tag, List<Image> images) throws IOException {
    ObjectNode index = JSON.createObjectNode();
    index.put("schemaVersion", 2);
    index.put("mediaType", "application/vnd.oci.image.index.v1+json");
    ArrayNode manifests = index.putArray("manifests");
    for (Image image : images) {
      ObjectNode d = manifest(layout, image);
      d.putObject("platform").put("os", "linux").put("architecture", image.architecture);
      manifests.add(d);
    }
    byte[] bytes = JSON.writeValueAsBytes(index);
    ObjectNode top = descriptor("application/vnd.oci.image.index.v1+json", blob(layout, bytes), bytes.length);
    index(layout, tag, top, true);
  }

  private static ObjectNode manifest(Path layout, Image image) throws IOException {
    ObjectNode config = JSON.createObjectNode();
    config.put("architecture", image.architecture);
    config.put("os", "linux");
    ObjectNode inner = config.putObject("config");
    if (!image.entrypoint.isEmpty()) {
      image.entrypoint.forEach(inner.putArray("Entrypoint")::add);
    }
    if (!image.cmd.isEmpty()) {
      image.cmd.forEach(inner.putArray("Cmd")::add);
    }
    if (!image.env.isEmpty()) {
      image.env.forEach(inner.putArray("Env")::add);
    }
    ArrayNode diffIds = config.putObject("rootfs").put("type", "layers").putArray("diff_ids");
    ArrayNode layers = JSON.createArrayNode();
    for (int i = 0; i < image.mediaTypes.size(); i++) {
      String digest;
      long size;
      if (image.blobs.get(i) != null) {
        digest = blob(layout, image.blobs.get(i));
        size = image.blobs.get(i).length;
      } else {
        digest = blobFile(layout, image.blobFiles.get(i));
        size = Files.size(image.blobFiles.get(i));
      }
      // docker-archive stores layers uncompressed and names them by diff_id: it must be right.
      diffIds.add(image.diffIds.get(i));
      layers.add(descriptor(image.mediaTypes.get(i), digest, size));
    }
    ArrayNode hist = config.putArray("history");
    image.history.forEach(h -> hist.addObject().put("created_by", h));
    byte[] configBytes = JSON.writeValueAsBytes(config);
    ObjectNode manifest = JSON.createObjectNode();
    manifest.put("schemaVersion", 2);
    manifest.put("mediaType", "application/vnd.oci.image.manifest.v1+json");
    manifest.set("config", descriptor("application/vnd.oci.image.config.v1+json", blob(layout, configBytes), configBytes.length));
    manifest.set("layers", layers);
    byte[] bytes = JSON.writeValueAsBytes(manifest);
    return descriptor("application/vnd.oci.image.manifest.v1+json", blob(layout, bytes), bytes.length);
  }

  private static void index(Path layout, String tag, ObjectNode descriptor, boolean isIndex) throws IOException {
    Files.createDirectories(layout.resolve("blobs/sha256"));
    Files.writeString(layout.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
    Path indexFile = layout.resolve("index.json");
    ObjectNode index;
    if (Files.exists(indexFile)) {
      index = (ObjectNode) JSON.readTree(indexFile.toFile());
    } else {
      index = JSON.createObjectNode();
      index.put("schemaVersion", 2);
      index.put("mediaType", "application/vnd.oci.image.index.v1+json");
      index.putArray("manifests");
    }
    descriptor.putObject("annotations").put("org.opencontainers.image.ref.name", tag);
    ((ArrayNode) index.get("manifests")).add(descriptor);
    Files.write(indexFile, JSON.writeValueAsBytes(index));
  }

  private static ObjectNode descriptor(String mediaType, String digest, long size) {
    ObjectNode d = JSON.createObjectNode();
    d.put("mediaType", mediaType);
    d.put("digest", digest);
    d.put("size", size);
    return d;
  }

  static String blob(Path layout, byte[] bytes) throws IOException {
    String hex = HexFormat.of().formatHex(sha256().digest(bytes));
    Path target = layout.resolve("blobs/sha256/" + hex);
    Files.createDirectories(target.getParent());
    Files.write(target, bytes);
    return "sha256:" + hex;
  }

  /** Copies a blob file into the layout (hard link when possible: clean layers are big). */
  static String blobFile(Path layout, Path file) throws IOException {
    MessageDigest md = sha256();
    try (InputStream in = Files.newInputStream(file)) {
      byte[] buf = new byte[1 << 16];
      for (int n; (n = in.read(buf)) > 0; ) {
        md.update(buf, 0, n);
      }
    }
    String hex = HexFormat.of().formatHex(md.digest());
    Path target = layout.resolve("blobs/sha256/" + hex);
    Files.createDirectories(target.getParent());
    if (!Files.exists(target)) {
      try {
        Files.createLink(target, file);
      } catch (IOException | UnsupportedOperationException e) {
        Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
      }
    }
    return "sha256:" + hex;
  }

  private static String uncompressedDigest(Path blob, Compression compression) {
    MessageDigest md = sha256();
    try (InputStream raw = Files.newInputStream(blob);
        InputStream in = compression == Compression.ZSTD
            ? new com.github.luben.zstd.ZstdInputStream(raw) : new java.util.zip.GZIPInputStream(raw, 1 << 16)) {
      byte[] buf = new byte[1 << 16];
      for (int n; (n = in.read(buf)) > 0; ) {
        md.update(buf, 0, n);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return "sha256:" + HexFormat.of().formatHex(md.digest());
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
