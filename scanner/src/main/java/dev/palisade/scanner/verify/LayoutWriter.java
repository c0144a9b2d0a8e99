package dev.palisade.scanner.verify;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.palisade.oci.OciException;
import dev.palisade.oci.digest.Digest;
import dev.palisade.oci.manifest.Descriptor;
import dev.palisade.oci.manifest.ImageManifest;
import dev.palisade.oci.manifest.ManifestDocument;
import dev.palisade.oci.registry.RegistryClient;
import dev.palisade.oci.source.OciLayoutSource;
import dev.palisade.signing.SigningException;
import dev.palisade.signing.bundle.BundleJson;
import dev.palisade.signing.bundle.SigstoreBundle;
import dev.palisade.signing.oci.BundleReferrers;
import dev.palisade.signing.oci.FoundBundle;
import dev.palisade.signing.oci.LayoutReferrerStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Writes a verified registry image into a new OCI layout, with its bundles as layout referrers (so
 * it verifies again offline). Everything goes to a hidden sibling directory first and is renamed
 * into place at the end: on any failure the target does not exist.
 */
public final class LayoutWriter {
  private LayoutWriter() {}

  public static void write(ResolvedImage image, List<FoundBundle> bundles, Path target, String tag)
      throws OciException, SigningException, IOException {
    if (Files.exists(target)) {
      throw new dev.palisade.oci.source.ImageSourceException("--to " + target + " already exists; pull writes a new layout");
    }
    Path parent = target.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    Path staging = Files.createTempDirectory(parent, "." + target.getFileName() + ".partial-");
    try {
      RegistryClient client = image.client();
      String repository = image.reference().repository();
      ManifestDocument manifest = client.getManifest(repository, image.digest().toString());
      if (!(manifest.manifest() instanceof ImageManifest single)) {
        throw new dev.palisade.oci.source.ImageSourceException(image.input() + " is a multi-platform index; pull one platform by its digest");
      }
      Files.writeString(staging.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
      writeBlob(staging, manifest.digest(), manifest.bytes());
      copyBlob(client, repository, single.config(), staging);
      for (Descriptor layer : single.layers()) {
        copyBlob(client, repository, layer, staging);
      }
      ObjectNode index = BundleJson.MAPPER.createObjectNode();
      index.put("schemaVersion", 2);
      index.put("mediaType", dev.palisade.oci.manifest.MediaTypes.OCI_INDEX);
      ObjectNode entry = index.putArray("manifests").addObject();
      entry.put("mediaType", manifest.mediaType());
      entry.put("digest", manifest.digest().toString());
      entry.put("size", manifest.size());
      entry.putObject("annotations").put(OciLayoutSource.REF_NAME, tag);
      Files.write(staging.resolve("index.json"), BundleJson.MAPPER.writeValueAsBytes(index));
      LayoutReferrerStore store = new LayoutReferrerStore(staging);
      for (FoundBundle bundle : bundles) {
        SigstoreBundle parsed = BundleJson.parse(bundle.json(), bundle.origin());
        store.attachJson(manifest.descriptor(), bundle.json(), parsed.contentKind(), BundleReferrers.predicateTypeOf(parsed), Instant.EPOCH);
      }
      Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      deleteTree(staging);
    }
  }

  private static void copyBlob(RegistryClient client, String repository, Descriptor descriptor, Path layout)
      throws OciException, IOException {
    Path path = layout.resolve("blobs").resolve(descriptor.digest().algorithm()).resolve(descriptor.digest().hex());
    Files.createDirectories(path.getParent());
    try (InputStream in = client.openBlob(repository, descriptor); OutputStream out = Files.newOutputStream(path)) {
      in.transferTo(out); // verified against the digest while it streams
    }
  }

  private static void writeBlob(Path layout, Digest digest, byte[] bytes) throws IOException {
    Path path = layout.resolve("blobs").resolve(digest.algorithm()).resolve(digest.hex());
    Files.createDirectories(path.getParent());
    Files.write(path, bytes);
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }
}
