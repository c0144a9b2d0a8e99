package dev.palisade.scanner.source;

import dev.palisade.cli.RegistryClients;
import dev.palisade.oci.OciException;
import dev.palisade.oci.registry.RegistryClient;
import dev.palisade.oci.registry.RegistryEvent;
import dev.palisade.oci.source.DockerArchiveSource;
import dev.palisade.oci.source.ImageSource;
import dev.palisade.oci.source.OciLayoutSource;
import dev.palisade.oci.source.RegistryImageSource;
import java.util.function.Consumer;

/** Opens the {@link ImageSource} an {@link ImageSpec} names. */
public final class ImageSources {

  private ImageSources() {}

  /** Not for {@link ImageSpec.Directory}, which is scanned as a tree, not as an image. */
  public static ImageSource open(ImageSpec spec, RegistryClients registries, Consumer<RegistryEvent> events)
      throws OciException {
    // Java 17: no pattern matching in switch yet.
    if (spec instanceof ImageSpec.Registry r) {
      RegistryClient client = registries.forRegistry(r.reference().registry(), events);
      return new RegistryImageSource(client, r.reference());
    }
    if (spec instanceof ImageSpec.OciLayout l) {
      return OciLayoutSource.directory(l.directory(), l.tag());
    }
    if (spec instanceof ImageSpec.OciArchive a) {
      return OciLayoutSource.archive(a.file(), a.tag());
    }
    if (spec instanceof ImageSpec.DockerArchive d) {
      return DockerArchiveSource.open(d.file(), d.tag());
    }
    if (spec instanceof ImageSpec.DockerDaemon d) {
      return DockerDaemonSource.open(d.name());
    }
    throw new IllegalArgumentException("dir: is scanned by DirectoryScanner, not opened as an image");
  }
}
