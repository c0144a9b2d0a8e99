package dev.palisade.oci.source;

import com.fasterxml.jackson.databind.JsonNode;
import dev.palisade.oci.OciException;
import dev.palisade.oci.digest.VerifyingInputStream;
import dev.palisade.oci.manifest.Descriptor;
import dev.palisade.oci.manifest.ImageIndex;
import dev.palisade.oci.manifest.Json;
import dev.palisade.oci.manifest.ManifestDocument;
import dev.palisade.oci.manifest.ManifestFormatException;
import dev.palisade.oci.manifest.MediaTypes;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * An OCI image layout, as a directory ({@code oci:DIR[:TAG]}) or a tar of one ({@code
 * oci-archive:FILE[:TAG]}). The tag selects an {@code index.json} entry by its {@code
 * org.opencontainers.image.ref.name} annotation.
 */
public final class OciLayoutSource implements ImageSource {

  public static final String REF_NAME = "org.opencontainers.image.ref.name";

  private final LayoutFiles files;
  private final String tag;
  private final String description;
  private ManifestDocument root;

  private OciLayoutSource(LayoutFiles files, String tag, String description) {
    this.files = files;
    this.tag = tag;
    this.description = description;
  }

  /** A layout directory; {@code tag} may be null when the layout holds one image. */
  public static OciLayoutSource directory(Path dir, String tag) throws ImageSourceException {
    if (!Files.isDirectory(dir)) {
      throw new ImageSourceException("OCI layout " + dir + " is not a directory");
    }
    return new OciLayoutSource(new DirectoryFiles(dir), tag, "oci:" + dir + (tag == null ? "" : ":" + tag));
  }

  /** A tar holding a layout; {@code tag} may be null when the layout holds one image. */
  public static OciLayoutSource archive(Path file, String tag) throws ImageSourceException {
    if (!Files.isRegularFile(file)) {
      throw new ImageSourceException("OCI archive " + file + " is not a file");
    }
    try {
      return new OciLayoutSource(new TarArchiveFiles(file), tag, "oci-archive:" + file + (tag == null ? "" : ":" + tag));
    } catch (IOException e) {
      throw new ImageSourceException("OCI archive " + file + " is not a readable tar: " + e.getMessage(), e);
    }
  }

  @Override
  public String describe() {
    return description;
  }

  @Override
  public synchronized ManifestDocument rootManifest() throws OciException {
    if (root != null) {
      return root;
    }
    checkLayoutMarker();
    byte[] indexBytes = files.readSmall("index.json", description);
    ManifestDocument index = ManifestDocument.parse(indexBytes, MediaTypes.OCI_INDEX, description + " index.json");
    if (!(index.manifest() instanceof ImageIndex entries)) {
      throw new ImageSourceException(description + ": index.json is not an image index");
    }
    root = select(index, entries);
    return root;
  }

  private ManifestDocument select(ManifestDocument indexDocument, ImageIndex index) throws OciException {
    List<Descriptor> candidates = new ArrayList<>();
    List<String> names = new ArrayList<>();
    for (Descriptor entry : index.manifests()) {
      if (entry.artifactType() != null) {
        // Signatures and attestations stored beside the image (OCI referrers) are not images.
        continue;
      }
      String name = entry.annotations().get(REF_NAME);
      if (name != null) {
        names.add(name);
      }
      if (tag == null || tag.equals(name) || (name != null && name.endsWith(":" + tag))) {
        candidates.add(entry);
      }
    }
    if (index.manifests().isEmpty()) {
      throw new ImageSourceException(description + ": index.json lists no images");
    }
    if (tag != null && candidates.isEmpty()) {
      throw new ImageSourceException(description + ": no image tagged '" + tag + "'; the layout has " + (names.isEmpty() ? "no tags" : String.join(", ", names)));
    }
    if (candidates.size() == 1) {
      return manifest(candidates.get(0));
    }
    if (tag == null && names.isEmpty()) {
      // An untagged multi-platform layout: index.json itself is the image index.
      return indexDocument;
    }
    throw new ImageSourceException(description + " holds several images; name one with :TAG (" + String.join(", ", names) + ")");
  }

  private void checkLayoutMarker() throws OciException {
    byte[] marker = files.readSmall("oci-layout", description);
    try {
      JsonNode node = Json.parse(marker, description + " oci-layout");
      if (!node.path("imageLayoutVersion").isTextual()) {
        throw new ImageSourceException(description + ": oci-layout has no imageLayoutVersion");
      }
    } catch (ManifestFormatException e) {
      throw new ImageSourceException(e.getMessage(), e);
    }
  }

  @Override
  public ManifestDocument manifest(Descriptor descriptor) throws OciException {
    byte[] bytes = readBlob(descriptor, Json.MAX_DOCUMENT_BYTES);
    return ManifestDocument.parse(bytes, descriptor.mediaType(), description + " manifest " + descriptor.digest());
  }

  @Override
  public InputStream openBlob(Descriptor descriptor) throws OciException {
    String path = "blobs/" + descriptor.digest().algorithm() + "/" + descriptor.digest().hex();
    try {
      OptionalLong size = files.size(path);
      InputStream in = files.open(path);
      if (in == null || size.isEmpty()) {
        throw new ImageSourceException(description + " refers to blob " + descriptor.digest() + ", which is missing from the layout");
      }
      return new VerifyingInputStream(in, descriptor.digest(), descriptor.size());
    } catch (IOException e) {
      throw new ImageSourceException(description + ": cannot open blob " + descriptor.digest() + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void close() throws IOException {
    files.close();
  }
}
