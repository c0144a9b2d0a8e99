package dev.palisade.release.base;

import com.fasterxml.jackson.databind.JsonNode;
import dev.palisade.oci.digest.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** Reads back an assembled base from the cache, verifying every blob; null when absent or damaged. */
final class CachedBase {

  private CachedBase() {}

  static AssembledBase read(Path dir) {
    Path layout = dir.resolve("layout");
    Path archive = dir.resolve("base-docker.tar");
    if (!Files.isRegularFile(layout.resolve("index.json")) || !Files.isRegularFile(archive)) {
      return null;
    }
    try {
      JsonNode index = OciLayoutWriter.JSON.readTree(layout.resolve("index.json").toFile());
      Digest manifestDigest = Digest.parse(index.path("manifests").path(0).path("digest").asText());
      byte[] manifestBytes = verified(layout, manifestDigest);
      JsonNode manifest = OciLayoutWriter.JSON.readTree(manifestBytes);
      Blob config = blob(manifest.path("config"));
      JsonNode configJson = OciLayoutWriter.JSON.readTree(verified(layout, config.digest()));
      List<Blob> layers = new ArrayList<>();
      for (JsonNode l : manifest.path("layers")) {
        Blob layer = blob(l);
        verifiedStreaming(layout, layer.digest());
        layers.add(layer);
      }
      List<Digest> diffIds = new ArrayList<>();
      configJson.path("rootfs").path("diff_ids").forEach(d -> diffIds.add(Digest.parse(d.asText())));
      return new AssembledBase(layout, archive, manifestDigest, config, layers, diffIds);
    } catch (IOException | RuntimeException e) {
      return null; // damaged cache: assemble again
    }
  }

  private static Blob blob(JsonNode d) {
    return new Blob(d.path("mediaType").asText(), Digest.parse(d.path("digest").asText()), d.path("size").asLong());
  }

  private static byte[] verified(Path layout, Digest digest) throws IOException {
    byte[] bytes = Files.readAllBytes(layout.resolve("blobs").resolve(digest.algorithm()).resolve(digest.hex()));
    if (!Digest.sha256(bytes).equals(digest)) {
      throw new IOException("blob " + digest + " is damaged");
    }
    return bytes;
  }

  private static void verifiedStreaming(Path layout, Digest digest) throws IOException {
    MessageDigest sha = Digest.newSha256();
    try (InputStream in = Files.newInputStream(layout.resolve("blobs").resolve(digest.algorithm()).resolve(digest.hex()))) {
      byte[] buffer = new byte[1 << 16];
      for (int n; (n = in.read(buffer)) > 0; ) {
        sha.update(buffer, 0, n);
      }
    }
    if (!HexFormat.of().formatHex(sha.digest()).equals(digest.hex())) {
      throw new IOException("blob " + digest + " is damaged");
    }
  }
}
