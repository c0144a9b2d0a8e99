package dev.palisade.release.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.palisade.release.Failure;
import dev.palisade.release.OrderedJson;
import dev.palisade.release.ReleaseException;
import dev.palisade.release.base.FsNode;
import dev.palisade.release.base.TarWriter;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Writes a built image's OCI layout out in the other file format, {@code docker save}'s. */
public final class ImageExporter {

  private static final ObjectMapper JSON = new ObjectMapper();

  private ImageExporter() {}

  /** Prepares a directory to receive a layout: absent, empty, or an older layout (replaced). */
  public static void prepareLayoutDir(Path dir) throws ReleaseException {
    try {
      if (Files.isDirectory(dir)) {
        boolean empty;
        try (var list = Files.list(dir)) {
          empty = list.findAny().isEmpty();
        }
        if (!empty && !Files.isRegularFile(dir.resolve("oci-layout"))) {
          throw new ReleaseException(Failure.USAGE, dir + " is neither empty nor an OCI layout; refusing to write"
              + " into it");
        }
        dev.palisade.release.FileTrees.deleteTree(dir);
      }
    } catch (IOException e) {
      throw new ReleaseException(Failure.IO, "cannot prepare " + dir + ": " + e.getMessage(), e);
    }
  }

  /** A docker-archive tar (loadable with {@code docker load}) holding the same blobs. */
  public static void toDockerArchive(BuiltImage image, Path file) throws ReleaseException {
    try {
      Path blobs = image.layout().resolve("blobs/sha256");
      JsonNode manifest = JSON.readTree(blobs.resolve(image.digest().hex()).toFile());
      String config = "blobs/sha256/" + manifest.path("config").path("digest").asText().substring(7);
      List<String> layers = new ArrayList<>();
      manifest.path("layers").forEach(l -> layers.add("blobs/sha256/" + l.path("digest").asText().substring(7)));
      String tag = image.imageName() + ":" + image.tag();
      byte[] index = OrderedJson.bytes(List.of(OrderedJson.map("Config", config, "RepoTags", List.of(tag),
          "Layers", layers)));
      Files.createDirectories(file.toAbsolutePath().getParent());
      try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
          TarWriter tar = new TarWriter(out, 0)) {
        tar.write(config, FsNode.file(0644, Files.readAllBytes(image.layout().resolve(config))));
        for (String layer : layers.stream().distinct().toList()) {
          tar.write(layer, FsNode.file(0644, Files.readAllBytes(image.layout().resolve(layer))));
        }
        tar.write("manifest.json", FsNode.file(0644, index));
      }
    } catch (IOException e) {
      throw new ReleaseException(Failure.IO, "cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
