package dev.palisade.signing.oci;

import dev.palisade.oci.digest.Digest;
import dev.palisade.oci.manifest.Descriptor;
import dev.palisade.signing.bundle.SigstoreBundle;
import java.time.Instant;
import java.util.List;

/**
 * Where bundles live next to the images they are about: a registry repository ({@link
 * RegistryReferrerStore}) or an OCI layout directory ({@link LayoutReferrerStore}), in the same
 * shape cosign v3 uses.
 */
public interface ReferrerStore {

  /**
   * Attaches a bundle to {@code subject} (the image manifest's descriptor: media type, digest, size).
   *
   * @param created the {@code org.opencontainers.image.created} annotation: pass the commit time for
   *     reproducible referrers, or the clock
   * @return the digest of the referrer manifest
   */
  Digest attach(Descriptor subject, SigstoreBundle bundle, Instant created) throws ReferrerStoreException;

  /** Every bundle attached to {@code subject}, unverified; empty when none. */
  List<FoundBundle> bundles(Digest subject) throws ReferrerStoreException;

  /** Names the store in messages. */
  String describe();
}
