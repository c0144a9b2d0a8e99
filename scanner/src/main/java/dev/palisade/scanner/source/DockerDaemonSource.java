package dev.palisade.scanner.source;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import dev.palisade.oci.OciException;
import dev.palisade.oci.manifest.Descriptor;
import dev.palisade.oci.manifest.ManifestDocument;
import dev.palisade.oci.source.DockerArchiveSource;
import dev.palisade.oci.source.ImageSource;
import dev.palisade.oci.source.ImageSourceException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * An image in a Docker daemon (or podman's compatible API), reached through docker-java; {@code
 * DOCKER_HOST} is honoured. The daemon's {@code save} stream is written to a private temporary
 * archive (deleted on close) because {@code manifest.json} comes last in it and the layers must be
 * found by name; nothing is unpacked.
 */
public final class DockerDaemonSource implements ImageSource {

  private final String name;
  private final Path archive;
  private final DockerArchiveSource delegate;

  private DockerDaemonSource(String name, Path archive, DockerArchiveSource delegate) {
    this.name = name;
    this.archive = archive;
    this.delegate = delegate;
  }

  public static DockerDaemonSource open(String name) throws ImageSourceException {
    Path archive = null;
    try (DockerDaemonConnection connection = DockerDaemonConnection.open()) {
      DockerClient client = connection.client();
      try {
        client.inspectImageCmd(name).exec();
      } catch (NotFoundException e) {
        throw new ImageSourceException("docker-daemon: no image named '" + name + "' in the daemon");
      }
      archive = Files.createTempFile("palisade-daemon-", ".tar",
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      try (InputStream in = client.saveImageCmd(name).exec(); OutputStream out = Files.newOutputStream(archive)) {
        in.transferTo(out);
      }
      return new DockerDaemonSource(name, archive, DockerArchiveSource.open(archive, null));
    } catch (DockerException e) {
      deleteQuietly(archive);
      throw new ImageSourceException("docker-daemon: " + name + ": " + e.getMessage(), e);
    } catch (IOException e) {
      deleteQuietly(archive);
      throw new ImageSourceException("docker-daemon: saving " + name + " failed: " + e.getMessage(), e);
    } catch (ImageSourceException e) {
      deleteQuietly(archive);
      throw e;
    }
  }

  @Override
  public String describe() {
    return "docker-daemon:" + name;
  }

  @Override
  public boolean syntheticManifest() {
    return true;
  }

  @Override
  public ManifestDocument rootManifest() throws OciException {
    return delegate.rootManifest();
  }

  @Override
  public ManifestDocument manifest(Descriptor descriptor) throws OciException {
    return delegate.manifest(descriptor);
  }

  @Override
  public InputStream openBlob(Descriptor descriptor) throws OciException {
    return delegate.openBlob(descriptor);
  }

  @Override
  public void close() throws IOException {
    try {
      delegate.close();
    } finally {
      deleteQuietly(archive);
    }
  }

  private static void deleteQuietly(Path file) {
    if (file == null) {
      return;
    }
    try {
      Files.deleteIfExists(file);
    } catch (IOException ignored) {
      // A temp file we could not delete is left for the OS to clean; nothing to report to the user.
    }
  }
}
