package dev.palisade.oci.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ManifestParserTest {

  private static final String DIGEST = "sha256:" + "b".repeat(64);

  private static byte[] bytes(String json) {
    return json.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void parsesAnOciManifest() throws Exception {
    Manifest manifest = ManifestParser.parse(bytes("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST
        + "\",\"config\":{\"mediaType\":\"" + MediaTypes.OCI_CONFIG + "\",\"digest\":\"" + DIGEST + "\",\"size\":7},"
        + "\"layers\":[{\"mediaType\":\"" + MediaTypes.OCI_LAYER_GZIP + "\",\"digest\":\"" + DIGEST + "\",\"size\":9}]}"),
        null, "test");
    ImageManifest image = assertInstanceOf(ImageManifest.class, manifest);
    assertEquals(1, image.layers().size());
    assertEquals(9, image.layers().get(0).size());
  }

  @Test
  void infersAnIndexWithoutMediaType() throws Exception {
    Manifest manifest = ManifestParser.parse(bytes("{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":\""
        + MediaTypes.OCI_MANIFEST + "\",\"digest\":\"" + DIGEST + "\",\"size\":1,\"platform\":{\"os\":\"linux\",\"architecture\":\"arm64\",\"variant\":\"v8\"}}]}"),
        null, "test");
    ImageIndex index = assertInstanceOf(ImageIndex.class, manifest);
    assertEquals("linux/arm64/v8", index.manifests().get(0).platform().toString());
  }

  @Test
  void garbageIsAFormatError() {
    ManifestFormatException e = assertThrows(ManifestFormatException.class,
        () -> ManifestParser.parse(bytes("\u0000\u0001garbage"), null, "manifest x"));
    assertTrue(e.getMessage().startsWith("manifest x: not valid JSON"), e.getMessage());
  }

  @Test
  void unknownMediaTypeIsNamed() {
    ManifestFormatException e = assertThrows(ManifestFormatException.class,
        () -> ManifestParser.parse(bytes("{\"schemaVersion\":2,\"mediaType\":\"application/x-evil\"}"), null, "m"));
    assertTrue(e.getMessage().contains("unknown manifest media type 'application/x-evil'"), e.getMessage());
  }

  @Test
  void duplicateKeysAreRefused() {
    assertThrows(ManifestFormatException.class, () -> ManifestParser.parse(
        bytes("{\"schemaVersion\":2,\"schemaVersion\":2,\"manifests\":[]}"), null, "m"));
  }

  @Test
  void badDescriptorFieldIsNamed() {
    ManifestFormatException e = assertThrows(ManifestFormatException.class, () -> ManifestParser.parse(
        bytes("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"config\":{\"mediaType\":\"x\",\"digest\":\""
            + DIGEST + "\",\"size\":-1},\"layers\":[]}"), null, "m"));
    assertTrue(e.getMessage().contains("config.size"), e.getMessage());
  }

  @Test
  void tooManyLayersAreRefused() {
    StringBuilder layers = new StringBuilder();
    for (int i = 0; i < 10_000; i++) {
      layers.append(i == 0 ? "" : ",").append("{\"mediaType\":\"x\",\"digest\":\"").append(DIGEST).append("\",\"size\":1}");
    }
    ManifestFormatException e = assertThrows(ManifestFormatException.class, () -> ManifestParser.parse(
        bytes("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"config\":{\"mediaType\":\"x\",\"digest\":\""
            + DIGEST + "\",\"size\":1},\"layers\":[" + layers + "]}"), null, "m"));
    assertTrue(e.getMessage().contains("10000 layers exceeds the limit"), e.getMessage());
  }

  @Test
  void parsesConfigFields() throws Exception {
    ImageConfig config = ManifestParser.parseConfig(bytes("{\"os\":\"linux\",\"architecture\":\"amd64\","
        + "\"config\":{\"Entrypoint\":[\"/bin/sh\",\"-c\"],\"Cmd\":null,\"Env\":[\"A=1\"],\"Labels\":{\"k\":\"v\"}},"
        + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"" + DIGEST + "\"]},"
        + "\"history\":[{\"created_by\":\"RUN x\"},{\"created_by\":\"ENV y\",\"empty_layer\":true}]}"), "c");
    assertEquals("linux/amd64", config.platform().toString());
    assertEquals(2, config.entrypoint().size());
    assertTrue(config.cmd().isEmpty());
    assertTrue(config.history().get(1).emptyLayer());
  }
}
