package dev.palisade.release.push;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.palisade.oci.digest.Digest;
import dev.palisade.oci.manifest.Descriptor;
import dev.palisade.oci.reference.ImageReference;
import dev.palisade.oci.registry.RegistryAuthenticationException;
import dev.palisade.oci.registry.RegistryClient;
import dev.palisade.oci.registry.RegistryException;
import dev.palisade.release.Failure;
import dev.palisade.release.ReleaseEvent;
import dev.palisade.release.ReleaseException;
import dev.palisade.release.image.BuiltImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Pushes the scanned OCI layout, blob by blob, with the project's registry client; the manifest
 * bytes are the ones in the layout, so the pushed digest is the scanned digest. (jib could push
 * too, but it would rebuild the image on the way.) Afterwards the tag is read back and must name
 * the same digest.
 */
public final class LayoutPusher {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final RegistryClient client;
  private final Consumer<ReleaseEvent> events;

  public LayoutPusher(RegistryClient client, Consumer<ReleaseEvent> events) {
    this.client = client;
    this.events = events;
  }

  /** @return the reference by digest of what the registry now holds */
  public ImageReference push(BuiltImage image, ImageReference target) throws ReleaseException {
    return push(image.layout(), image.digest(), image.tag(), target);
  }

  /**
   * Pushes the manifest {@code digest} of the OCI layout at {@code layout} (the standalone {@code push}).
   *
   * @param defaultTag the tag when {@code target} names none
   */
  public ImageReference push(Path layout, Digest digest, String defaultTag, ImageReference target)
      throws ReleaseException {
    String repository = target.repository();
    String tag = target.tag() != null ? target.tag() : defaultTag;
    Path blobs = layout.resolve("blobs/sha256");
    try {
      byte[] manifest = Files.readAllBytes(blobs.resolve(digest.hex()));
      if (!Digest.sha256(manifest).equals(digest)) {
        throw new ReleaseException(Failure.REGISTRY, "the layout's manifest no longer matches " + digest);
      }
      JsonNode m = JSON.readTree(manifest);
      List<Digest> digests = new ArrayList<>();
      m.path("layers").forEach(l -> digests.add(Digest.parse(l.path("digest").asText())));
      digests.add(Digest.parse(m.path("config").path("digest").asText()));
      for (Digest d : digests) {
        client.pushBlob(repository, d, blobs.resolve(d.hex()));
      }
      client.putManifest(repository, tag, manifest, m.path("mediaType").asText());
      Optional<Descriptor> back = client.headManifest(repository, tag);
      Digest remote = back.map(Descriptor::digest)
          .orElseGet(() -> readBack(repository, tag));
      if (!digest.equals(remote)) {
        throw new ReleaseException(Failure.REGISTRY, target.registry() + "/" + repository + ":" + tag + " reads back as "
            + remote + ", not the pushed " + digest);
      }
      events.accept(new ReleaseEvent("push", "pushed " + target.registry() + "/" + repository + ":" + tag + "@"
          + remote));
      return new ImageReference(target.registry(), repository, tag, remote);
    } catch (RegistryAuthenticationException e) {
      throw new ReleaseException(Failure.REGISTRY_AUTH, "the registry " + target.registry()
          + " refused the credentials: " + e.getMessage(), e);
    } catch (RegistryException e) {
      throw new ReleaseException(Failure.REGISTRY, "push to " + target.registry() + " failed: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new ReleaseException(Failure.IO, "cannot read the image layout: " + e.getMessage(), e);
    }
  }

  private Digest readBack(String repository, String tag) {
    try {
      return client.getManifest(repository, tag).digest();
    } catch (RegistryException e) {
      return null;
    }
  }
}
