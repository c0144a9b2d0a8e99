package dev.palisade.oci.source;

import dev.palisade.oci.OciException;
import dev.palisade.oci.manifest.Descriptor;
import dev.palisade.oci.manifest.ManifestDocument;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;

/**
 * Somewhere images are read from: a registry, an OCI layout, an archive. The root manifest is
 * resolved once; everything below it is addressed by digest, so a moving tag cannot swap content
 * halfway through.
 */
public interface ImageSource extends Closeable {

  /** How the user named this source, for reports (never with credentials). */
  String describe();

  /** The manifest or index the user's reference points at. */
  ManifestDocument rootManifest() throws OciException;

  /** A manifest named by an index entry. */
  ManifestDocument manifest(Descriptor descriptor) throws OciException;

  /**
   * A blob as a stream that verifies digest and size while it is read. Integrity failures surface
   * as {@link dev.palisade.oci.digest.BlobIntegrityException} from the stream.
   */
  InputStream openBlob(Descriptor descriptor) throws OciException;

  /**
   * True if the root manifest was made up by us from a format that has none (docker-archive): its
   * digest then identifies nothing a registry would know.
   */
  default boolean syntheticManifest() {
    return false;
  }

  /** Reads a small blob whole, refusing one that declares more than {@code limit} bytes. */
  default byte[] readBlob(Descriptor descriptor, int limit) throws OciException {
    if (descriptor.size() > limit) {
      throw new ImageSourceException(
          "blob " + descriptor.digest() + " declares " + descriptor.size() + " bytes, over the limit of " + limit);
    }
    try (InputStream in = openBlob(descriptor)) {
      ByteArrayOutputStream out = new ByteArrayOutputStream((int) descriptor.size());
      in.transferTo(out);
      return out.toByteArray();
    } catch (IOException e) {
      throw new ImageSourceException("reading blob " + descriptor.digest() + " from " + describe() + ": " + e.getMessage(), e);
    }
  }

  @Override
  default void close() throws IOException {}
}
