package dev.palisade.scanner.verify;

import dev.palisade.oci.digest.Digest;
import dev.palisade.oci.manifest.Descriptor;
import dev.palisade.oci.reference.ImageReference;
import dev.palisade.oci.registry.RegistryClient;
import dev.palisade.signing.oci.ReferrerStore;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;

/**
 * An image pinned to its manifest digest, resolved once: everything after resolution (bundles,
 * scan, pull) uses {@link #descriptor()} and never the tag again, so a tag moved in between cannot
 * swap the image.
 *
 * @param reference the registry reference pinned to the digest; null for a layout
 * @param layout the layout directory; null for a registry image
 * @param repositoryPath what trust policies match on ({@code registry/repository})
 */
public record ResolvedImage(String input, ImageReference reference, Path layout, String repositoryPath,
    Descriptor descriptor, ReferrerStore store, RegistryClient client) implements Closeable {

  public Digest digest() {
    return descriptor.digest();
  }

  @Override
  public void close() throws IOException {
    if (client != null) {
      client.close();
    }
  }
}
