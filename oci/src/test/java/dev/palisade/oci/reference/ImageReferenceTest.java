package dev.palisade.oci.reference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ImageReferenceTest {

  @ParameterizedTest
  @CsvSource({
    "alpine, docker.io, library/alpine, latest, docker.io/library/alpine:latest",
    "alpine:3.20, docker.io, library/alpine, 3.20, docker.io/library/alpine:3.20",
    "team/app, docker.io, team/app, latest, docker.io/team/app:latest",
    "index.docker.io/team/app:1, docker.io, team/app, 1, docker.io/team/app:1",
    "ghcr.io/org/gateway:v1.2.3, ghcr.io, org/gateway, v1.2.3, ghcr.io/org/gateway:v1.2.3",
    "127.0.0.1:5000/a/b/c:tag, 127.0.0.1:5000, a/b/c, tag, 127.0.0.1:5000/a/b/c:tag",
    "localhost/app, localhost, app, latest, localhost/app:latest",
  })
  void parsesLikeDocker(String text, String registry, String repository, String tag, String canonical)
      throws Exception {
    ImageReference reference = ImageReference.parse(text);
    assertEquals(registry, reference.registry());
    assertEquals(repository, reference.repository());
    assertEquals(tag, reference.tag());
    assertEquals(canonical, reference.toString());
  }

  @Test
  void digestWinsOverTagForTheManifestRequest() throws Exception {
    String digest = "sha256:" + "a".repeat(64);
    ImageReference reference = ImageReference.parse("ghcr.io/org/app:1.0@" + digest);
    assertEquals("1.0", reference.tag());
    assertEquals(digest, reference.manifestReference());
    ImageReference digestOnly = ImageReference.parse("app@" + digest);
    assertNull(digestOnly.tag());
    assertEquals("docker.io/library/app@" + digest, digestOnly.toString());
  }

  @Test
  void dockerHubIsReachedAtItsApiHost() throws Exception {
    assertEquals("registry-1.docker.io", ImageReference.parse("alpine").apiHost());
    assertEquals("ghcr.io", ImageReference.parse("ghcr.io/a/b").apiHost());
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " alpine", "Alpine", "app:", "app@sha256:xyz", "app@md5:" + "aaaa",
      "a//b", "app:-bad", "host:99999999/a"})
  void refusesMalformedReferences(String text) {
    InvalidReferenceException e = assertThrows(InvalidReferenceException.class, () -> ImageReference.parse(text));
    assertTrue(e.getMessage().startsWith("invalid image reference"), e.getMessage());
  }
}
