package dev.palisade.oci.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.palisade.oci.digest.BlobIntegrityException;
import dev.palisade.oci.manifest.Descriptor;
import dev.palisade.oci.manifest.ImageConfig;
import dev.palisade.oci.manifest.ImageManifest;
import dev.palisade.oci.manifest.ManifestDocument;
import dev.palisade.oci.manifest.ManifestParser;
import dev.palisade.oci.manifest.MediaTypes;
import dev.palisade.oci.source.DockerArchiveSource;
import dev.palisade.oci.source.ImageSource;
import dev.palisade.oci.source.ImageSourceException;
import dev.palisade.oci.source.OciLayoutSource;
import dev.palisade.testing.OciImage;
import dev.palisade.testing.Skopeo;
import dev.palisade.testing.SkopeoOption;
import dev.palisade.testing.Umoci;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The project's image sources over layouts and archives written by umoci and skopeo: each one's root
 * manifest, config and every layer read to EOF through the verifying stream and checked again here.
 */
class ImageSourcesIT {

  @TempDir
  static Path work;

  private static Umoci umoci;
  private static Skopeo skopeo;
  /** One image for every test: a layout with two tags. */
  private static OciImage image;
  private static List<String> umociDigests;

  @BeforeAll
  static void buildImage() throws Exception {
    umoci = Umoci.create();
    skopeo = Skopeo.create();
    image = TestImages.threeLayers(umoci, work.resolve("layout"), "v1", "sources");
    umoci.tag(image, "stable");
    umociDigests = TestImages.layoutDigests(image);
  }

  @AfterAll
  static void closeSkopeo() {
    skopeo.close();
  }

  /** Reads everything and returns the layers' bytes as stored (compressed or not). */
  private static List<byte[]> readAll(ImageSource source, ManifestDocument root) throws Exception {
    ImageManifest manifest = assertInstanceOf(ImageManifest.class, root.manifest());
    byte[] config = source.readBlob(manifest.config(), 1 << 20);
    assertEquals(manifest.config().digest().toString(), TestImages.sha256(config));
    assertEquals(manifest.config().size(), config.length);
    ImageConfig parsed = ManifestParser.parseConfig(config, "config");
    assertEquals("sources", parsed.labels().get(TestImages.LABEL_KEY));
    assertEquals(3, manifest.layers().size());
    List<byte[]> layers = new ArrayList<>();
    for (Descriptor layer : manifest.layers()) {
      byte[] bytes;
      try (InputStream in = source.openBlob(layer)) {
        bytes = TestImages.drain(in);
      }
      assertEquals(layer.size(), bytes.length);
      assertEquals(layer.digest().toString(), TestImages.sha256(bytes));
      layers.add(bytes);
    }
    return layers;
  }

  private static List<String> diffIds(ImageSource source, ManifestDocument root) throws Exception {
    ImageManifest manifest = (ImageManifest) root.manifest();
    return ManifestParser.parseConfig(source.readBlob(manifest.config(), 1 << 20), "config").diffIds();
  }

  @Test
  void ociLayoutDirectoryByTag() throws Exception {
    try (OciLayoutSource source = OciLayoutSource.directory(image.layout(), "v1")) {
      ManifestDocument root = source.rootManifest();
      assertEquals(TestImages.layoutManifestDigest(image), root.digest().toString());
      assertArrayEquals(TestImages.layoutManifest(image), root.bytes());
      assertEquals(MediaTypes.OCI_MANIFEST, root.mediaType());
      ImageManifest manifest = (ImageManifest) root.manifest();
      assertEquals(umociDigests.get(0), manifest.config().digest().toString());
      List<byte[]> layers = readAll(source, root);
      List<byte[]> tars = new ArrayList<>();
      List<String> diffIds = diffIds(source, root);
      for (int i = 0; i < layers.size(); i++) {
        assertEquals(umociDigests.get(i + 1), manifest.layers().get(i).digest().toString());
        byte[] tar = TestImages.gunzip(layers.get(i));
        assertEquals(diffIds.get(i), TestImages.sha256(tar));
        tars.add(tar);
      }
      TestImages.assertThreeLayerContents(tars);
    }
  }

  @Test
  void unknownTagListsTheTagsTheLayoutHas() throws Exception {
    try (OciLayoutSource source = OciLayoutSource.directory(image.layout(), "nope")) {
      ImageSourceException e = assertThrows(ImageSourceException.class, source::rootManifest);
      assertTrue(e.getMessage().contains("'nope'"), e.getMessage());
      assertTrue(e.getMessage().contains("v1") && e.getMessage().contains("stable"), e.getMessage());
    }
    try (OciLayoutSource source = OciLayoutSource.directory(image.layout(), null)) {
      ImageSourceException e = assertThrows(ImageSourceException.class, source::rootManifest);
      assertTrue(e.getMessage().contains("v1") && e.getMessage().contains("stable"), e.getMessage());
    }
  }

  @Test
  void ociArchiveWrittenBySkopeo() throws Exception {
    Path archive = work.resolve("image.oci.tar");
    skopeo.copy(image.skopeoReference(), Skopeo.ociArchive(archive, "v1"));
    try (OciLayoutSource source = OciLayoutSource.archive(archive, "v1")) {
      ManifestDocument root = source.rootManifest();
      ImageManifest manifest = (ImageManifest) root.manifest();
      // skopeo keeps the layer blobs (and so their digests) when it writes a layout.
      for (int i = 0; i < 3; i++) {
        assertEquals(umociDigests.get(i + 1), manifest.layers().get(i).digest().toString());
      }
      List<byte[]> layers = readAll(source, root);
      assertArrayEquals(Files.readAllBytes(TestImages.blobPath(image.layout(), umociDigests.get(2))), layers.get(1));
      // The manifest blob in the archive is the one the source returned.
      assertArrayEquals(tarEntry(archive, "blobs/sha256/" + root.digest().hex()), root.bytes());
    }
    try (OciLayoutSource source = OciLayoutSource.archive(archive, "other")) {
      ImageSourceException e = assertThrows(ImageSourceException.class, source::rootManifest);
      assertTrue(e.getMessage().contains("v1"), e.getMessage());
    }
  }

  @Test
  void dockerArchiveWrittenBySkopeo() throws Exception {
    Path archive = dockerArchive();
    List<String> layerPaths = layerPaths(archive);
    assertEquals(3, layerPaths.size());
    for (String tag : Arrays.asList("example.test/palisade:1", null)) {
      try (DockerArchiveSource source = DockerArchiveSource.open(archive, tag)) {
        assertDockerArchiveReads(source);
      }
    }
    try (DockerArchiveSource source = DockerArchiveSource.open(archive, "example.test/other:2")) {
      ImageSourceException e = assertThrows(ImageSourceException.class, source::rootManifest);
      assertTrue(e.getMessage().contains("example.test/palisade:1"), e.getMessage());
    }
  }

  /**
   * skopeo also writes the legacy {@code <id>/layer.tar} entries, as symlinks to the {@code
   * <diffid>.tar} files. Classic {@code docker save} archives name those paths in manifest.json, so
   * the source must follow the links inside the archive.
   */
  @Test
  void dockerArchiveWhoseManifestNamesTheSymlinkedLayerEntries() throws Exception {
    Path archive = dockerArchive();
    Map<String, String> symlinkFor = new TreeMap<>(); // link target (normalised) -> symlink entry
    try (TarFile tar = new TarFile(archive.toFile())) {
      for (TarArchiveEntry entry : tar.getEntries()) {
        if (entry.isSymbolicLink()) {
          symlinkFor.put(entry.getLinkName().replaceFirst("^\\.\\./", ""), entry.getName());
        }
      }
    }
    List<String> layerPaths = layerPaths(archive);
    List<String> viaLinks = new ArrayList<>();
    for (String layer : layerPaths) {
      String link = symlinkFor.get(layer);
      if (link == null) {
        throw new AssertionError("skopeo wrote no symlink to " + layer + ": " + symlinkFor);
      }
      viaLinks.add(link);
    }
    Path legacy = work.resolve("legacy.docker.tar");
    rewriteManifestLayers(archive, legacy, viaLinks, Map.of());
    try (DockerArchiveSource source = DockerArchiveSource.open(legacy, "example.test/palisade:1")) {
      assertDockerArchiveReads(source);
    }

    // A layer entry that links out of the archive is refused, not followed onto the host.
    Path evil = work.resolve("evil.docker.tar");
    List<String> evilLayers = new ArrayList<>(viaLinks);
    evilLayers.set(0, "evil/layer.tar");
    rewriteManifestLayers(archive, evil, evilLayers, Map.of("evil/layer.tar", "../../../../etc/passwd"));
    try (DockerArchiveSource source = DockerArchiveSource.open(evil, "example.test/palisade:1")) {
      ImageSourceException e = assertThrows(ImageSourceException.class, source::rootManifest);
      assertTrue(e.getMessage().contains("evil/layer.tar"), e.getMessage());
    }
  }

  private Path dockerArchive() {
    Path archive = work.resolve("image-" + System.nanoTime() + ".docker.tar");
    skopeo.copy(image.skopeoReference(), Skopeo.dockerArchive(archive, "example.test/palisade:1"));
    return archive;
  }

  private static List<String> layerPaths(Path archive) throws Exception {
    JsonNode manifestJson = TestImages.json(tarEntry(archive, "manifest.json"));
    List<String> layerPaths = new ArrayList<>();
    manifestJson.get(0).path("Layers").forEach(node -> layerPaths.add(node.asText()));
    return layerPaths;
  }

  private void assertDockerArchiveReads(DockerArchiveSource source) throws Exception {
    ManifestDocument root = source.rootManifest();
    assertTrue(source.syntheticManifest());
    List<byte[]> layers = readAll(source, root);
    // docker-archive layers are uncompressed tars: their digests are umoci's diff IDs.
    JsonNode umociConfig = TestImages.json(Files.readAllBytes(TestImages.blobPath(image.layout(), umociDigests.get(0))));
    for (int i = 0; i < 3; i++) {
      assertEquals(umociConfig.path("rootfs").path("diff_ids").get(i).asText(), TestImages.sha256(layers.get(i)));
    }
    TestImages.assertThreeLayerContents(layers);
    ImageManifest manifest = (ImageManifest) root.manifest();
    assertArrayEquals(layers.get(0), source.readBlob(manifest.layers().get(0), 1 << 20));
  }

  /** Copies a docker archive, replacing manifest.json's Layers and adding symlink entries. */
  private static void rewriteManifestLayers(Path from, Path to, List<String> layers, Map<String, String> symlinks)
      throws Exception {
    com.fasterxml.jackson.databind.node.ArrayNode manifest =
        (com.fasterxml.jackson.databind.node.ArrayNode) TestImages.json(tarEntry(from, "manifest.json"));
    com.fasterxml.jackson.databind.node.ArrayNode layerNodes =
        ((com.fasterxml.jackson.databind.node.ObjectNode) manifest.get(0)).putArray("Layers");
    layers.forEach(layerNodes::add);
    byte[] manifestBytes = TestImages.mapper().writeValueAsBytes(manifest);
    try (TarFile tar = new TarFile(from.toFile());
        org.apache.commons.compress.archivers.tar.TarArchiveOutputStream out =
            new org.apache.commons.compress.archivers.tar.TarArchiveOutputStream(Files.newOutputStream(to))) {
      out.setLongFileMode(org.apache.commons.compress.archivers.tar.TarArchiveOutputStream.LONGFILE_POSIX);
      for (TarArchiveEntry entry : tar.getEntries()) {
        if (entry.getName().equals("manifest.json")) {
          TarArchiveEntry replaced = new TarArchiveEntry("manifest.json");
          replaced.setSize(manifestBytes.length);
          out.putArchiveEntry(replaced);
          out.write(manifestBytes);
        } else {
          out.putArchiveEntry(entry);
          if (entry.isFile()) {
            try (InputStream in = tar.getInputStream(entry)) {
              in.transferTo(out);
            }
          }
        }
        out.closeArchiveEntry();
      }
      for (Map.Entry<String, String> link : symlinks.entrySet()) {
        TarArchiveEntry entry = new TarArchiveEntry(link.getKey(), TarArchiveEntry.LF_SYMLINK);
        entry.setLinkName(link.getValue());
        out.putArchiveEntry(entry);
        out.closeArchiveEntry();
      }
    }
  }

  @Test
  void zstdLayersWrittenBySkopeoIntoALayout() throws Exception {
    Path zstdLayout = work.resolve("zstd-layout");
    skopeo.copy(image.skopeoReference(), Skopeo.oci(zstdLayout, "v1"), SkopeoOption.zstd());
    try (OciLayoutSource source = OciLayoutSource.directory(zstdLayout, "v1")) {
      ManifestDocument root = source.rootManifest();
      ImageManifest manifest = (ImageManifest) root.manifest();
      for (Descriptor layer : manifest.layers()) {
        assertEquals(MediaTypes.OCI_LAYER_ZSTD, layer.mediaType(), new String(root.bytes()));
      }
      List<byte[]> layers = readAll(source, root);
      for (byte[] layer : layers) {
        // zstd frame magic 0xFD2FB528, little-endian
        assertArrayEquals(new byte[] {(byte) 0x28, (byte) 0xb5, (byte) 0x2f, (byte) 0xfd}, Arrays.copyOf(layer, 4));
      }
      // The uncompressed content is unchanged: the config still lists umoci's diff IDs.
      JsonNode umociConfig = TestImages.json(Files.readAllBytes(TestImages.blobPath(image.layout(), umociDigests.get(0))));
      List<String> expected = new ArrayList<>();
      umociConfig.path("rootfs").path("diff_ids").forEach(node -> expected.add(node.asText()));
      assertEquals(expected, diffIds(source, root));
    }
  }

  @Test
  void aLayoutWhoseIndexPointsAtAMissingBlobNamesTheDigest() throws Exception {
    Path broken = work.resolve("broken-manifest");
    copyTree(image.layout(), broken);
    String manifestDigest = TestImages.layoutManifestDigest(image);
    Files.delete(TestImages.blobPath(broken, manifestDigest));
    try (OciLayoutSource source = OciLayoutSource.directory(broken, "v1")) {
      ImageSourceException e = assertThrows(ImageSourceException.class, source::rootManifest);
      assertTrue(e.getMessage().contains(manifestDigest), e.getMessage());
    }
  }

  @Test
  void aLayoutWithAMissingOrTamperedLayerNamesTheDigest() throws Exception {
    Path broken = work.resolve("broken-layer");
    copyTree(image.layout(), broken);
    String missing = umociDigests.get(1);
    String tampered = umociDigests.get(2);
    Files.delete(TestImages.blobPath(broken, missing));
    Path tamperedFile = TestImages.blobPath(broken, tampered);
    byte[] bytes = Files.readAllBytes(tamperedFile);
    bytes[bytes.length / 2] ^= 0x01;
    Files.write(tamperedFile, bytes);

    try (OciLayoutSource source = OciLayoutSource.directory(broken, "v1")) {
      ImageManifest manifest = (ImageManifest) source.rootManifest().manifest();
      ImageSourceException gone = assertThrows(ImageSourceException.class, () -> source.openBlob(manifest.layers().get(0)));
      assertTrue(gone.getMessage().contains(missing), gone.getMessage());

      BlobIntegrityException bad = assertThrows(BlobIntegrityException.class, () -> {
        try (InputStream in = source.openBlob(manifest.layers().get(1))) {
          TestImages.drain(in);
        }
      });
      assertEquals(tampered, bad.expected().toString());
      assertTrue(bad.getMessage().contains(tampered), bad.getMessage());

      // The untouched whiteout layer still verifies.
      try (InputStream in = source.openBlob(manifest.layers().get(2))) {
        assertEquals(umociDigests.get(3), TestImages.sha256(TestImages.drain(in)));
      }
    }
  }

  private static void copyTree(Path from, Path to) throws Exception {
    try (var paths = Files.walk(from)) {
      for (Path path : paths.toList()) {
        Path target = to.resolve(from.relativize(path).toString());
        if (Files.isDirectory(path)) {
          Files.createDirectories(target);
        } else {
          Files.copy(path, target);
        }
      }
    }
  }

  private static Map<String, TarArchiveEntry> entries(TarFile tar) {
    Map<String, TarArchiveEntry> entries = new TreeMap<>();
    for (TarArchiveEntry entry : tar.getEntries()) {
      String name = entry.getName();
      entries.put(name.startsWith("./") ? name.substring(2) : name, entry);
    }
    return entries;
  }

  private static byte[] tarEntry(Path archive, String name) throws Exception {
    try (TarFile tar = new TarFile(archive.toFile())) {
      TarArchiveEntry entry = entries(tar).get(name);
      if (entry == null) {
        throw new AssertionError(name + " not in " + entries(tar).keySet());
      }
      try (InputStream in = tar.getInputStream(entry)) {
        return in.readAllBytes();
      }
    }
  }

}
