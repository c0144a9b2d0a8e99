package dev.palisade.release.sbom;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/** Reads one file as the image's merged filesystem has it (the topmost layer holding it wins). */
public final class ImageFiles {

  private static final ObjectMapper JSON = new ObjectMapper();

  private ImageFiles() {}

  public static Optional<byte[]> read(Path layout, String manifestHex, String path) throws IOException {
    Path blobs = layout.resolve("blobs/sha256");
    JsonNode manifest = JSON.readTree(blobs.resolve(manifestHex).toFile());
    byte[] found = null;
    for (JsonNode layer : manifest.path("layers")) {
      String hex = layer.path("digest").asText().substring("sha256:".length());
      try (InputStream raw = new BufferedInputStream(Files.newInputStream(blobs.resolve(hex)));
          InputStream in = layer.path("mediaType").asText().endsWith("gzip") ? new GZIPInputStream(raw, 1 << 16) : raw;
          TarArchiveInputStream tar = new TarArchiveInputStream(in, "UTF-8")) {
        for (TarArchiveEntry e; (e = tar.getNextEntry()) != null; ) {
          String name = e.getName().replaceFirst("^\\./", "").replaceFirst("^/", "");
          if (name.equals(path) && e.isFile()) {
            found = tar.readAllBytes();
          }
        }
      }
    }
    return Optional.ofNullable(found);
  }
}
