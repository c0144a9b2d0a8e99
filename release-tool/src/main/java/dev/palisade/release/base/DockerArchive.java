package dev.palisade.release.base;

import dev.palisade.oci.digest.Digest;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes a one-image {@code docker save} tar ({@code manifest.json}, config, layers), the format
 * jib-core reads as a local base. The layer keeps its gzip bytes, so jib uses it as is and the
 * image's base layer has the same digest as in the base's OCI layout.
 */
final class DockerArchive {

  private DockerArchive() {}

  static void write(Path target, byte[] configJson, Path layer, Digest layerDigest) throws IOException {
    String layerName = layerDigest.hex() + ".tar.gz";
    String manifest = "[{\"Config\":\"config.json\",\"RepoTags\":[],\"Layers\":[\"" + layerName + "\"]}]";
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(target), 1 << 16);
        TarWriter tar = new TarWriter(out, 0)) {
      tar.write("config.json", FsNode.file(0644, configJson));
      tar.write(layerName, FsNode.file(0644, Files.readAllBytes(layer)));
      tar.write("manifest.json", FsNode.file(0644, manifest.getBytes(StandardCharsets.UTF_8)));
    }
  }
}
