package dev.palisade.oci.source;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.palisade.oci.digest.Digest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OciLayoutSourceTest {

  @TempDir Path dir;

  private Digest blob(String json) throws Exception {
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    Digest digest = Digest.sha256(bytes);
    Files.createDirectories(dir.resolve("blobs/sha256"));
    Files.write(dir.resolve("blobs/sha256/" + digest.hex()), bytes);
    return digest;
  }

  /** A signed layout lists its signatures in index.json too; without a tag, the image is still the one image. */
  @Test
  void referrersBesideTheImageDoNotMakeTheLayoutAmbiguous() throws Exception {
    Digest config = blob("{}");
    String image = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
        + "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + config + "\",\"size\":2},\"layers\":[]}";
    Digest imageDigest = blob(image);
    String signature = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
        + "\"artifactType\":\"application/vnd.dev.sigstore.bundle.v0.3+json\","
        + "\"config\":{\"mediaType\":\"application/vnd.oci.empty.v1+json\",\"digest\":\"" + config + "\",\"size\":2},\"layers\":[],"
        + "\"subject\":{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"" + imageDigest + "\",\"size\":" + image.length() + "}}";
    Digest signatureDigest = blob(signature);
    Files.writeString(dir.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
    Files.writeString(dir.resolve("index.json"), "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"manifests\":["
        + "{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"" + imageDigest + "\",\"size\":" + image.length()
        + ",\"annotations\":{\"org.opencontainers.image.ref.name\":\"1.0\"}},"
        + "{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"artifactType\":\"application/vnd.dev.sigstore.bundle.v0.3+json\","
        + "\"digest\":\"" + signatureDigest + "\",\"size\":" + signature.length() + "}]}");
    try (OciLayoutSource source = OciLayoutSource.directory(dir, null)) {
      assertEquals(imageDigest, source.rootManifest().digest());
    }
  }
}
