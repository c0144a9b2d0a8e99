package dev.palisade.release.cli;

import dev.palisade.cli.UsageException;
import dev.palisade.release.image.ImageTarget;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --image oci:DIR}: an OCI layout written by {@code build --to oci:DIR} or {@code release}. */
final class LayoutImageOptions {

  @Option(names = "--image", paramLabel = "oci:DIR", required = true,
      description = "The image: an OCI layout written by 'build --to oci:DIR' (or 'release --to oci:DIR').")
  String image;

  Path layout() throws UsageException {
    if (!image.startsWith("oci:")) {
      throw new UsageException("--image " + image + ": expected oci:DIR (an OCI layout from 'build --to oci:DIR')");
    }
    ImageTarget target = ImageTarget.parse(image);
    return target.path().toAbsolutePath().normalize();
  }
}
