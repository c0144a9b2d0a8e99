package dev.palisade.signing.verify;

import dev.palisade.oci.digest.Digest;
import java.util.List;

/**
 * A passed verification of one image digest.
 *
 * @param ignored bundles that did not count, each with the reason (anyone who can push can attach
 *     junk, so junk is reported, not fatal, as long as what the policy needs is there)
 */
public record ImageVerification(Digest image, String policy, List<AcceptedBundle> signatures,
    List<AcceptedBundle> attestations, List<String> ignored) {
  public ImageVerification {
    signatures = List.copyOf(signatures);
    attestations = List.copyOf(attestations);
    ignored = List.copyOf(ignored);
  }
}
