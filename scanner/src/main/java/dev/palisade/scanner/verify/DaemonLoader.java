package dev.palisade.scanner.verify;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectImageResponse;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import dev.palisade.oci.OciException;
import dev.palisade.oci.manifest.Descriptor;
import dev.palisade.oci.manifest.ImageManifest;
import dev.palisade.oci.manifest.ManifestDocument;
import dev.palisade.oci.registry.RegistryClient;
import dev.palisade.oci.source.ImageSourceException;
import dev.palisade.scanner.source.DockerDaemonConnection;
import dev.palisade.signing.bundle.BundleJson;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Loads a verified registry image into a Docker daemon (or podman's compatible API) through
 * docker-java, honouring {@code DOCKER_HOST}. The image is written, blob by blob as the registry
 * serves it (each blob checked against its digest while it streams), into a private temporary
 * docker-archive ({@code docker save} format: {@code manifest.json} with Config/RepoTags/Layers, the
 * config blob, the layer blobs as they are: the daemon's load detects gzip layers and checks them
 * against the config's diff_ids). Only a complete archive is handed to the daemon, so a failure
 * while reading the registry leaves nothing there.
 */
public final class DaemonLoader implements AutoCloseable {

  private final DockerDaemonConnection connection;
  private final DockerClient client;

  private DaemonLoader(DockerDaemonConnection connection) {
    this.connection = connection;
    this.client = connection.client();
  }

  /** Connects to the daemon and pings it, so an unreachable daemon is reported before any work. */
  public static DaemonLoader connect() throws ImageSourceException {
    return new DaemonLoader(DockerDaemonConnection.open());
  }

  public String host() {
    return connection.host();
  }

  /**
   * Loads {@code image} (pinned to its digest) and tags it {@code name}.
   *
   * @return the image id in the daemon ({@code sha256:<config digest hex>})
   */
  public String load(ResolvedImage image, String name) throws OciException, IOException {
    RegistryClient registry = image.client();
    String repository = image.reference().repository();
    ManifestDocument manifest = registry.getManifest(repository, image.digest().toString());
    if (!(manifest.manifest() instanceof ImageManifest single)) {
      throw new ImageSourceException(image.input() + " is a multi-platform index; pull one platform by its digest");
    }
    Path archive = Files.createTempFile("palisade-pull-", ".tar",
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    try {
      writeArchive(registry, repository, single, name, archive);
      String id = single.config().digest().toString();
      try (InputStream in = Files.newInputStream(archive)) {
        client.loadImageCmd(in).exec();
      } catch (DockerException e) {
        throw new ImageSourceException("docker-daemon: loading " + image.reference() + " into " + host() + " failed: " + e.getMessage(), e);
      }
      int colon = name.lastIndexOf(':');
      try {
        InspectImageResponse loaded = client.inspectImageCmd(id).exec();
        if (loaded.getRepoTags() == null || loaded.getRepoTags().stream().noneMatch(tag -> tag.equals(name) || tag.endsWith("/" + name))) {
          client.tagImageCmd(id, name.substring(0, colon), name.substring(colon + 1)).exec();
        }
      } catch (NotFoundException e) {
        throw new ImageSourceException("docker-daemon: " + host() + " accepted the archive but holds no image " + id, e);
      } catch (DockerException e) {
        throw new ImageSourceException("docker-daemon: tagging " + id + " as " + name + " failed: " + e.getMessage(), e);
      }
      return id;
    } finally {
      Files.deleteIfExists(archive);
    }
  }

  private static void writeArchive(RegistryClient registry, String repository, ImageManifest manifest, String name, Path archive)
      throws OciException, IOException {
    ArrayNode root = BundleJson.MAPPER.createArrayNode();
    ObjectNode entry = root.addObject();
    String configName = manifest.config().digest().hex() + ".json";
    entry.put("Config", configName);
    entry.putArray("RepoTags").add(name);
    ArrayNode layers = entry.putArray("Layers");
    java.util.Set<String> written = new java.util.HashSet<>();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(Files.newOutputStream(archive))) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
      copyBlob(registry, repository, manifest.config(), configName, tar);
      for (Descriptor layer : manifest.layers()) {
        String layerName = layer.digest().hex() + "/layer.tar";
        if (written.add(layerName)) {
          copyBlob(registry, repository, layer, layerName, tar);
        }
        layers.add(layerName);
      }
      byte[] manifestJson = BundleJson.MAPPER.writeValueAsBytes(root);
      TarArchiveEntry manifestEntry = new TarArchiveEntry("manifest.json");
      manifestEntry.setSize(manifestJson.length);
      tar.putArchiveEntry(manifestEntry);
      tar.write(manifestJson);
      tar.closeArchiveEntry();
      tar.finish();
    }
  }

  private static void copyBlob(RegistryClient registry, String repository, Descriptor descriptor, String entryName,
      TarArchiveOutputStream tar) throws OciException, IOException {
    TarArchiveEntry entry = new TarArchiveEntry(entryName);
    entry.setSize(descriptor.size());
    tar.putArchiveEntry(entry);
    long copied;
    try (InputStream in = registry.openBlob(repository, descriptor)) {
      copied = in.transferTo(new OutputStream() { // verified against the digest while it streams
        @Override
        public void write(int b) throws IOException {
          tar.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
          tar.write(b, off, len);
        }
      });
    }
    if (copied != descriptor.size()) {
      throw new ImageSourceException("blob " + descriptor.digest() + " is " + copied + " bytes, not " + descriptor.size());
    }
    tar.closeArchiveEntry();
  }

  @Override
  public void close() {
    connection.close();
  }
}
