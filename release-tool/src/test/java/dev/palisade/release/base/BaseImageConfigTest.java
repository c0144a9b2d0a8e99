package dev.palisade.release.base;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.palisade.oci.digest.Digest;
import dev.palisade.release.TestBase;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The base's config bytes, exactly: their key order is part of the pinned digest. */
class BaseImageConfigTest {

  @Test
  void configBytesAreFixed() throws Exception {
    BaseConfig config = TestBase.config();
    Digest diffId = Digest.parse("sha256:faadc15bb9c3eb8c47318493e02b34d5b5aee2a72863853635418b080c022bad");
    byte[] bytes = BaseAssembler.imageConfig(config, diffId, config.packages().size());
    assertEquals("{\"created\":\"2025-05-20T00:00:00Z\",\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{"
        + "\"User\":\"65532:65532\",\"Env\":[\"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\","
        + "\"JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64\",\"LANG=C.UTF-8\"],\"WorkingDir\":\"/home/palisade\"},"
        + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"" + diffId + "\"]},\"history\":[{\"created_by\":"
        + "\"palisade release-tool: 9 pinned Debian packages (release/base.yaml)\",\"created\":\"2025-05-20T00:00:00Z\"}]}",
        new String(bytes, StandardCharsets.UTF_8));
    assertEquals("sha256:648bd644061b06738298f98aff6ca050a38a0073b1bf974830aa3ab5ea189826",
        Digest.sha256(bytes).toString(), "the config blob of the pinned base");
  }
}
