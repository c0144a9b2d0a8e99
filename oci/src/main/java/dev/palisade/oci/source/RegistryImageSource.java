package dev.palisade.oci.source;

import dev.palisade.oci.OciException;
import dev.palisade.oci.manifest.Descriptor;
import dev.palisade.oci.manifest.ManifestDocument;
import dev.palisade.oci.reference.ImageReference;
import dev.palisade.oci.registry.RegistryClient;
import java.io.IOException;
import java.io.InputStream;

/** An image in a registry. The tag is resolved to a digest once, on the first call. */
public final class RegistryImageSource implements ImageSource {

  private final RegistryClient client;
  private final ImageReference reference;
  private ManifestDocument root;

  public RegistryImageSource(RegistryClient client, ImageReference reference) {
    this.client = client;
    this.reference = reference;
  }

  public ImageReference reference() {
    return reference;
  }

  @Override
  public String describe() {
    return reference.toString();
  }

  @Override
  public synchronized ManifestDocument rootManifest() throws OciException {
    if (root == null) {
      root = client.getManifest(reference.repository(), reference.manifestReference());
    }
    return root;
  }

  @Override
  public ManifestDocument manifest(Descriptor descriptor) throws OciException {
    ManifestDocument document = client.getManifest(reference.repository(), descriptor.digest().toString());
    if (document.size() != descriptor.size()) {
      throw new ImageSourceException(
          "manifest " + descriptor.digest() + " has " + document.size() + " bytes, the index says " + descriptor.size());
    }
    return document;
  }

  @Override
  public InputStream openBlob(Descriptor descriptor) throws OciException {
    return client.openBlob(reference.repository(), descriptor);
  }

  @Override
  public void close() throws IOException {
    client.close();
  }
}
