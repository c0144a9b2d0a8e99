package dev.palisade.oci.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.palisade.testing.History;
import dev.palisade.testing.ImageConfig;
import dev.palisade.testing.OciImage;
import dev.palisade.testing.Umoci;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.zip.GZIPInputStream;

/**
 * Images made by umoci for the integration tests, and independent ways to check what the project's
 * code reads back: digests are computed here with {@link MessageDigest} (not the project's {@code
 * Digest}), and layouts are read here with plain Jackson trees (not the project's parser).
 */
final class TestImages {

  static final String LABEL_KEY = "dev.palisade.test";
  static final String SECRET_PATH = "/etc/palisade/secret";
  static final String TOOL_PATH = "/usr/local/bin/tool";
  /** Incompressible, so the gzip layer is large enough to arrive over many reads. */
  static final int TOOL_SIZE = 384 * 1024;

  private static final ObjectMapper JSON = new ObjectMapper();

  private TestImages() {}

  /**
   * A three-layer image: a file unique to this call, a 384 KiB random binary, and a layer holding
   * only the whiteout that deletes the first file; plus a label naming {@code label}.
   */
  static OciImage threeLayers(Umoci umoci, Path layout, String tag, String label) {
    OciImage image = umoci.newImage(layout, tag);
    umoci.insertFile(image, SECRET_PATH,
        (label + " " + UUID.randomUUID() + "\n").getBytes(StandardCharsets.UTF_8),
        History.createdBy("COPY secret " + SECRET_PATH));
    byte[] tool = new byte[TOOL_SIZE];
    new Random(label.hashCode() ^ System.nanoTime()).nextBytes(tool);
    umoci.insertFile(image, TOOL_PATH, tool, History.createdBy("COPY tool " + TOOL_PATH));
    umoci.insertWhiteout(image, SECRET_PATH, History.createdBy("RUN rm " + SECRET_PATH));
    umoci.configure(image, ImageConfig.unchanged().withLabel(LABEL_KEY, label).withCmd("/usr/local/bin/tool"));
    return image;
  }

  /** Parses JSON with a plain mapper, independent of the project's strict parser. */
  static JsonNode json(byte[] bytes) throws IOException {
    return JSON.readTree(bytes);
  }

  static ObjectMapper mapper() {
    return JSON;
  }

  /** The manifest bytes {@code index.json} of the umoci layout names for the image's tag. */
  static byte[] layoutManifest(OciImage image) throws IOException {
    return Files.readAllBytes(blobPath(image.layout(), layoutManifestDigest(image)));
  }

  static String layoutManifestDigest(OciImage image) throws IOException {
    JsonNode index = JSON.readTree(image.layout().resolve("index.json").toFile());
    for (JsonNode entry : index.path("manifests")) {
      if (image.tag().equals(entry.path("annotations").path("org.opencontainers.image.ref.name").asText())) {
        return entry.path("digest").asText();
      }
    }
    throw new AssertionError("no manifest tagged " + image.tag() + " in " + index);
  }

  /** {@code [config digest, layer digests...]} of the image's manifest in its layout. */
  static List<String> layoutDigests(OciImage image) throws IOException {
    JsonNode manifest = json(layoutManifest(image));
    List<String> digests = new ArrayList<>();
    digests.add(manifest.path("config").path("digest").asText());
    for (JsonNode layer : manifest.path("layers")) {
      digests.add(layer.path("digest").asText());
    }
    return digests;
  }

  static Path blobPath(Path layout, String digest) {
    return layout.resolve("blobs/sha256").resolve(digest.substring("sha256:".length()));
  }

  static String sha256(byte[] bytes) {
    return "sha256:" + HexFormat.of().formatHex(newSha256().digest(bytes));
  }

  static MessageDigest newSha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Reads a stream to EOF in small reads, as a scanner would, and returns every byte. */
  static byte[] drain(InputStream in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buffer = new byte[4096];
    int n;
    while ((n = in.read(buffer)) >= 0) {
      out.write(buffer, 0, n);
    }
    return out.toByteArray();
  }

  static byte[] gunzip(byte[] gzip) throws IOException {
    try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(gzip))) {
      return in.readAllBytes();
    }
  }

  /** Entry names of a tar read header by header: umoci writes no end-of-archive blocks. */
  static List<String> tarEntryNames(byte[] tar) {
    List<String> names = new ArrayList<>();
    for (int offset = 0; offset + 512 <= tar.length; ) {
      if (tar[offset] == 0) {
        break;
      }
      int end = offset;
      while (end < offset + 100 && tar[end] != 0) {
        end++;
      }
      names.add(new String(tar, offset, end - offset, StandardCharsets.UTF_8));
      String sizeField = new String(tar, offset + 124, 12, StandardCharsets.US_ASCII).replace("\0", "").trim();
      long size = sizeField.isEmpty() ? 0 : Long.parseLong(sizeField, 8);
      offset += 512 + (int) ((size + 511) / 512 * 512);
    }
    return names;
  }

  /** The three layers of {@link #threeLayers}, uncompressed: checks what each one holds. */
  static void assertThreeLayerContents(List<byte[]> uncompressedLayers) {
    assertEquals(3, uncompressedLayers.size());
    List<String> first = tarEntryNames(uncompressedLayers.get(0));
    List<String> second = tarEntryNames(uncompressedLayers.get(1));
    List<String> third = tarEntryNames(uncompressedLayers.get(2));
    assertEquals("etc/palisade/secret", last(first), first.toString());
    assertEquals("usr/local/bin/tool", last(second), second.toString());
    assertEquals(List.of("etc/palisade/.wh.secret"), third.stream().filter(n -> n.contains(".wh.")).toList(),
        third.toString());
  }

  private static String last(List<String> names) {
    if (names.isEmpty()) {
      throw new AssertionError("layer has no entries");
    }
    String name = names.get(names.size() - 1);
    return name.startsWith("/") ? name.substring(1) : name.startsWith("./") ? name.substring(2) : name;
  }
}
