package dev.palisade.release.base;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.palisade.release.Failure;
import dev.palisade.release.ReleaseException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BaseConfigTest {

  @TempDir Path dir;

  @Test
  void registryBaseNamedOnlyByTagIsRefused() throws Exception {
    Path file = dir.resolve("base.yaml");
    Files.writeString(file, "kind: image\nimage: gcr.io/distroless/java17-debian12:nonroot\n");
    ReleaseException e = assertThrows(ReleaseException.class, () -> BaseConfig.load(file));
    assertEquals(Failure.BASE_IMAGE, e.failure());
    assertTrue(e.getMessage().contains("named only by a tag"), e.getMessage());
  }

  @Test
  void registryBasePinnedByDigestIsAccepted() throws Exception {
    Path file = dir.resolve("base.yaml");
    String digest = "sha256:" + "ab".repeat(32);
    Files.writeString(file, "kind: image\nimage: gcr.io/distroless/java17-debian12@" + digest + "\n");
    BaseConfig config = BaseConfig.load(file);
    assertEquals(digest, config.digest().toString());
  }

  @Test
  void assembledBaseWithoutPinIsRefused() throws Exception {
    Path file = dir.resolve("base.yaml");
    Files.writeString(file, "kind: debian-packages\nname: x/base\npackages: []\n");
    ReleaseException e = assertThrows(ReleaseException.class, () -> BaseConfig.load(file));
    assertEquals(Failure.BASE_IMAGE, e.failure());
    assertTrue(e.getMessage().contains("no pinned digest"), e.getMessage());
  }

  @Test
  void theRepositorysBaseConfigParsesAndIsPinned() throws Exception {
    BaseConfig config = BaseConfig.load(Path.of("../release/base.yaml"));
    assertTrue(config.assembled());
    assertTrue(config.packages().stream().anyMatch(p -> p.name().equals("libc6")));
    assertTrue(config.packages().stream().anyMatch(p -> p.name().startsWith("openjdk-17-jre")));
  }
}
