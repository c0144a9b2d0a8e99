package dev.palisade.signing.oci;

import dev.palisade.oci.digest.Digest;
import java.util.List;

/** A store that can also read cosign v2's tag-based signatures ({@code sha256-<hex>.sig} / {@code .att}). */
public interface LegacySignatureSource {
  List<LegacySignature> legacySignatures(Digest subject) throws ReferrerStoreException;
}
